// SIP messages captured from Debian baresip 1.0.0 (`baresip -s`) and kamailio 5.6.3 on this machine:
// the round-trip and fuzz tests start from what real peers send.

export const BARESIP_REGISTER =
  'REGISTER sip:127.0.0.1:58213;transport=udp SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:46013;branch=z9hG4bK058b2188816278be;rport\r\nContact: <sip:alice-0x56075d4592b0@127.0.0.1:46013>;expires=60\r\nMax-Forwards: 70\r\nTo: <sip:alice@127.0.0.1:58213>\r\nFrom: <sip:alice@127.0.0.1:58213>;tag=34c061a9586b48a9\r\nCall-ID: db374d3f002667e5\r\nCSeq: 50957 REGISTER\r\nUser-Agent: baresip v1.0.0 (x86_64/linux)\r\nAllow: INVITE,ACK,BYE,CANCEL,OPTIONS,NOTIFY,SUBSCRIBE,INFO,MESSAGE,REFER\r\nContent-Length: 0\r\n\r\n';

export const BARESIP_INVITE =
  'INVITE sip:bot@127.0.0.1:58213;transport=udp SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:46013;branch=z9hG4bKec8005f2831bf708;rport\r\nContact: <sip:alice-0x56075d4592b0@127.0.0.1:46013>\r\nMax-Forwards: 70\r\nTo: <sip:bot@127.0.0.1:58213;transport=udp>\r\nFrom: <sip:alice@127.0.0.1:58213>;tag=f85a8e9ea65f1dde\r\nCall-ID: e0f737f085d06241\r\nCSeq: 22520 INVITE\r\nUser-Agent: baresip v1.0.0 (x86_64/linux)\r\nAllow: INVITE,ACK,BYE,CANCEL,OPTIONS,NOTIFY,SUBSCRIBE,INFO,MESSAGE,REFER\r\nSupported:\r\nContent-Type: application/sdp\r\nContent-Length: 345\r\n\r\nv=0\r\no=- 3743201304 1594714812 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\na=tool:baresip 1.0.0\r\nm=audio 31260 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=sendrecv\r\na=label:1\r\na=rtcp-rsize\r\na=ssrc:2246329302 cname:sip:alice@127.0.0.1:58213\r\na=minptime:20\r\na=ptime:20\r\n';

// RFC 3261 §20 compact forms, folded lines, multi-value Via and a quoted display name.
export const COMPACT_OPTIONS =
  'OPTIONS sip:carol@chicago.example.com SIP/2.0\r\n' +
  'v: SIP/2.0/UDP pc33.example.com;branch=z9hG4bKhjhs8ass877 ,\r\n' +
  ' SIP/2.0/TCP [2001:db8::9]:5061;branch=z9hG4bK77asjd;received=2001:db8::7;rport=5070\r\n' +
  'Max-Forwards: 70\r\n' +
  't: <sip:carol@chicago.example.com>\r\n' +
  'f: "Alice \\"A\\" Liddell" <sip:alice@atlanta.example.com>;tag=1928301774\r\n' +
  'i: a84b4c76e66710\r\n' +
  'CSeq: 63104 OPTIONS\r\n' +
  'm: <sip:alice@pc33.example.com>;q=0.7;expires=3600, Bob <sips:bob@[2001:db8::1]:5061;transport=tcp>\r\n' +
  'k: replaces\r\n' +
  'c: application/sdp\r\n' +
  'l: 4\r\n\r\n' +
  'abcd';
