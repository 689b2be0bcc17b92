// Marker data for language detection: written Cantonese beyond the dialect lexicon, and the frequent words
// that tell Latin-script languages apart (English, Malay/Indonesian, Vietnamese written without tones, and
// the European languages that count as "other").

const words = (list: string): ReadonlySet<string> => new Set(list.split(/\s+/).filter((w) => w !== ''));

/**
 * Characters that (almost) only occur in written Cantonese, traditional and simplified forms. Not 晒
 * (晒单, post a photo of what you bought), 咪 (a microphone, a cat's miaow) or 喇 (喇叭): Mandarin writes them.
 */
export const CANTONESE_CHARS: ReadonlySet<string> = new Set([
  ...'唔嘅冇佢喺嚟啲嘢咗嗰𠮶咩乜噉㗎睇搵揾攞畀哋喎㖞囉諗谂冧啱靚靓咁啫嚿攰揸嘥嗮孖餸嗌',
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
export const ENGLISH_WORDS = words(
  `a about after again all also am an and any are as at back be because been before but by can cancel
  can't cant change charge come could day days delivery deliver delivered did didn't do does don't done
  dont email exchange for from get got had has have he hello help her here hi his how i i'm im if in into
  is isn't it it's its item just know late like long make me money more my need no not now of off ok
  okay on one only or order ordered our out package paid parcel pay payment phone please price product
  receive received refund return returned send sent ship shipped shipping should size so some still
  thank thanks that the their them then there they this to today tomorrow track tracking two up us want
  was wasn't we week were what when where which who why will with won't would wrong yes yesterday you
  your coupon discount invoice store shop open hours broken damaged missing arrive arrived address
  shall everyone every each other such these those than through under without between against own
  may must has being people person right rights free freedom law country world life work home where's
  i've i'll you're we're they're there's what's doesn't haven't hasn't couldn't wouldn't shouldn't
  very much many well good great new old first last next also even never always here there who whom
  whose while during since until though although however into onto upon over down off again`,
);

/** Frequent Malay and Indonesian words (one class: the two share almost all function words). */
export const MALAY_WORDS = words(
  `saya aku kami kita anda awak kamu dia mereka ini itu yang dan atau tidak tak bukan ada adalah untuk
  dengan dari ke di pada dalam oleh akan sudah telah belum bisa boleh dapat mau nak ingin hendak apa
  kapan bila bilakah berapa bagaimana macam mana mengapa kenapa siapa terima kasih tolong sila mohon
  pesanan barang harga bayar pembayaran kirim dikirim pengiriman penghantaran sampai tiba hari esok
  besok semalam kemarin sekarang lagi juga saja sahaja hanya masih jika kalau tetapi tapi karena kerana
  sebagai bahwa bahawa seperti lebih setiap semua orang hak tanpa negara manusia kebebasan sendiri
  nya ya tidak pula lah kah pun agar supaya antara serta tersebut boleh sudahkah belumkah uang wang
  paket bungkusan alamat nombor nomor pesan beli membeli dibeli jual batal membatalkan tukar ganti`,
);

/** Vietnamese function words as typed without tone marks (a phone without a Vietnamese keyboard). */
export const VIETNAMESE_WORDS = words(
  `toi khong duoc cua chua nhieu bao gio nao roi minh hang giao tien vay nhe cho voi nay la va den khi
  thi nhung cac mot hai ngay don ban anh chi em oi xin cam lam sao gui nhan dat mua tra`,
);

/** Frequent words of the European languages that count as "other": French, Spanish, German, Portuguese,
 *  Italian, Dutch, Turkish, Polish. */
export const OTHER_LATIN_WORDS = words(
  `le la les est je vous pas une des et du au avec pour merci bonjour commande ne que qui sur dans ce
  cette mais ou où être avoir été sont
  el los las por que está esta mi pedido gracias hola cuando dónde donde del con una para es y lo se
  como pero muy también
  ich nicht und ist das der die den dem bestellung danke wann wo ein eine mit auf für sie wir zu von
  bitte habe haben wird
  não obrigado encomenda quando onde você com uma os às
  il di che non sono è della grazie ordine quando dove
  het een niet wat waar bedankt bestelling van
  ve bir bu için ile sipariş teşekkür nerede
  nie jest się że na zamówienie dziękuję gdzie`,
);
