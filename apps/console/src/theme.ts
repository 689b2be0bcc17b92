import type { ThemeConfig } from 'antd';

export const BRAND = '#0f766e';

export const brandTheme: ThemeConfig = {
  token: {
    colorPrimary: BRAND,
    colorInfo: BRAND,
    borderRadius: 8,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif",
  },
  components: {
    Layout: {
      siderBg: '#0b2b2a',
      triggerBg: '#082221',
      headerBg: '#ffffff',
      bodyBg: '#f5f7f9',
      headerPadding: '0 20px',
    },
    Menu: { darkItemBg: '#0b2b2a', darkSubMenuItemBg: '#082221', darkItemSelectedBg: BRAND },
  },
};
