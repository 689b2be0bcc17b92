// Words an online shop's customers use for one thing (the first of each group stands for the rest), folded
// before topic mining counts terms. General shop vocabulary written for this project, not a list of the
// fixtures' words; price protection (保价) and membership points (积分), the two topics only the held-out
// corpus has, are deliberately absent so that corpus still measures text nobody tuned on.
export const SERVICE_SYNONYMS_ZH: readonly (readonly string[])[] = [
  ['退款', '退钱', '退费', '返钱'],
  ['退货', '退回去', '退掉', '寄回去'],
  ['换货', '调换', '换一件', '更换'],
  ['快递', '物流', '快件'],
  ['快递员', '快递小哥', '小哥', '派送员', '配送员', '送货员', '骑手', '派件员', '快递哥'],
  ['发货', '寄出', '出货', '出库'],
  ['付款', '支付', '付钱', '交钱'],
  ['取消', '撤销', '作废', '撤单'],
  ['破损', '损坏', '碎了', '压坏', '摔坏', '破了', '压扁'],
  ['保修', '质保', '维修', '报修', '修理', '返修'],
  ['缺货', '断货', '没货', '无货', '售罄', '卖完', '补货', '进货', '上货', '到货通知'],
  ['赠品', '赠送', '小样', '礼品', '赠礼'],
  ['少发', '漏发', '少件', '缺件', '少寄', '漏寄'],
  ['发错', '寄错', '错发'],
  ['发票', '开票', '票据'],
  ['优惠券', '优惠卷', '红包', '折扣券', '代金券', '满减券'],
  ['尺码', '码数', '尺寸', '码子'],
  ['地址', '收货地址', '收件地址'],
  ['登录', '登陆', '登入'],
  ['账号', '账户'],
  ['定金', '订金'],
  ['运费', '邮费', '快递费', '配送费'],
  ['说明书', '使用说明', '使用手册'],
  ['慢', '太慢', '好慢', '很慢', '慢死'],
];
