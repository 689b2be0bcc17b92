// Marker data for language detection: written Cantonese, English and other Latin-script languages.

/** Characters that (almost) only occur in written Cantonese, traditional and simplified forms. */
export const CANTONESE_CHARS: ReadonlySet<string> = new Set([
  ...'唔嘅冇佢喺嚟啲嘢咗嗰咩乜噉㗎睇搵揾攞畀哋嘞喎囉諗谂冧啱靚靓咁啫喇嚿攰揸嘥咪嗮晒孖餸嘞嗌',
]);

/** Multi-character Cantonese words whose characters are also used in Mandarin one by one. */
export const CANTONESE_WORDS: readonly string[] = [
  '係咪',
  '系咪',
  '唔係',
  '唔系',
  '係唔係',
  '系唔系',
  '點解',
  '点解',
  '邊度',
  '边度',
  '邊個',
  '边个',
  '幾多',
  '几多',
  '而家',
  '依家',
  '幾時',
  '几时',
  '點樣',
  '点样',
  '唔該',
  '唔该',
  '多謝',
  '好耐',
  '收到未',
  '到未',
  '有冇',
  '係度',
  '系度',
  '度嘅',
];

/** Frequent English function words and shop vocabulary; a Latin text made of these is English. */
export const ENGLISH_WORDS: ReadonlySet<string> = new Set(
  `a about after again all also am an and any are as at back be because been before but by can cancel
  can't cant change charge come could day days delivery deliver delivered did didn't do does don't done
  dont email exchange for from get got had has have he hello help her here hi his how i i'm im if in into
  is isn't it it's its item just know late like long make me money more my need no not now of off ok
  okay on one only or order ordered our out package paid parcel pay payment phone please price product
  receive received refund return returned send sent ship shipped shipping should size so some still
  thank thanks that the their them then there they this to today tomorrow track tracking two up us want
  was wasn't we week were what when where which who why will with won't would wrong yes yesterday you
  your coupon discount invoice store shop open hours broken damaged missing arrive arrived address`.split(
    /\s+/,
  ),
);

/** Frequent words of other Latin-script languages, to keep "other" from being read as English. */
export const OTHER_LATIN_WORDS: ReadonlySet<string> = new Set(
  `le la les est je vous pas une des et du au avec pour merci bonjour commande
  el los las por que está esta mi pedido gracias hola cuando dónde donde
  ich nicht und ist das der die bestellung danke wann wo
  saya tidak apa ini itu terima kasih pesanan kapan
  não obrigado encomenda quando onde você
  tôi không của đơn hàng cảm ơn`.split(/\s+/),
);
