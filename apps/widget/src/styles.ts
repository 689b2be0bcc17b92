// The widget's stylesheet, scoped by its shadow root so the shop's CSS and ours never meet.
export const styles = `
:host{all:initial}
*{box-sizing:border-box;font-family:-apple-system,BlinkMacSystemFont,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Segoe UI",Roboto,sans-serif}
[hidden]{display:none!important}
button{font:inherit;cursor:pointer}
.launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;width:56px;height:56px;border:0;border-radius:50%;background:var(--zk-accent);color:#fff;display:flex;align-items:center;justify-content:center;box-shadow:0 6px 20px rgba(22,119,255,.4);transition:transform .15s}
.launcher:hover{transform:scale(1.06)}
.launcher:focus-visible,.close:focus-visible,.send:focus-visible,.retry:focus-visible{outline:3px solid #91caff;outline-offset:2px}
.launcher svg{width:28px;height:28px}
.badge{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;padding:0 6px;border-radius:10px;background:#ff4d4f;color:#fff;font-size:12px;font-weight:600;line-height:20px;text-align:center;box-shadow:0 0 0 2px #fff}
.panel{position:fixed;right:20px;bottom:88px;z-index:2147483000;width:370px;height:min(600px,calc(100vh - 110px));display:flex;flex-direction:column;background:#fff;border-radius:16px;overflow:hidden;box-shadow:0 12px 48px rgba(0,0,0,.18);color:#1f1f1f;font-size:14px;line-height:1.5}
.head{display:flex;align-items:center;gap:12px;padding:14px 16px;background:var(--zk-accent);color:#fff}
.avatar{width:36px;height:36px;flex:none;border-radius:50%;background:rgba(255,255,255,.22);display:flex;align-items:center;justify-content:center;font-weight:600}
.titles{flex:1;min-width:0}
.title{font-size:16px;font-weight:600;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.sub{font-size:12px;opacity:.85}
.close{width:32px;height:32px;border:0;border-radius:8px;background:transparent;color:#fff;display:flex;align-items:center;justify-content:center}
.close:hover{background:rgba(255,255,255,.18)}
.close svg{width:20px;height:20px}
.status{padding:6px 16px;background:#fffbe6;color:#874d00;font-size:12px;border-bottom:1px solid #ffe58f}
.queue{background:#e6f4ff;color:#0958d9;border-bottom-color:#91caff}
.status[data-state=unavailable]{background:#fff2f0;color:#a8071a;border-color:#ffccc7}
.messages{flex:1;overflow-y:auto;padding:16px 14px;background:#f5f7fa;display:flex;flex-direction:column;gap:10px;outline:none}
.msg{display:flex;flex-direction:column;align-items:flex-start;max-width:85%}
.msg.customer{align-self:flex-end;align-items:flex-end}
.msg.system{align-self:center;align-items:center;max-width:90%}
.name{font-size:12px;color:#8c8c8c;margin:0 4px 2px}
.bubble{padding:8px 12px;border-radius:14px;white-space:pre-wrap;overflow-wrap:anywhere;word-break:break-word;background:#fff;border:1px solid #eef0f3;border-top-left-radius:4px}
.agent .bubble{background:#f0f7ff;border-color:#d6e8ff}
.customer .bubble{background:var(--zk-accent);border-color:var(--zk-accent);color:#fff;border-radius:14px;border-top-right-radius:4px}
.system .bubble{background:transparent;border:0;color:#8c8c8c;font-size:12px;text-align:center;padding:2px 8px}
.customer[data-status=failed] .bubble{background:#fff1f0;border-color:#ffa39e;color:#1f1f1f}
.customer[data-status=sending] .bubble{opacity:.7}
.msg[data-status=streaming] .bubble::after{content:'▍';margin-left:1px;animation:zk-caret 1s steps(2) infinite}
@keyframes zk-caret{50%{opacity:0}}
.meta{display:flex;align-items:center;gap:6px;font-size:11px;color:#a0a0a0;margin:3px 4px 0}
.meta .warn{color:#cf1322}
.retry{border:0;background:none;color:var(--zk-accent);padding:0;font-size:11px;text-decoration:underline}
.composer{display:flex;align-items:flex-end;gap:8px;padding:10px 12px;border-top:1px solid #f0f0f0;background:#fff}
.input{flex:1;resize:none;border:1px solid #d9d9d9;border-radius:10px;padding:8px 10px;font-size:14px;line-height:20px;max-height:120px;min-height:38px;outline:none;color:#1f1f1f;background:#fff}
.input:focus{border-color:var(--zk-accent);box-shadow:0 0 0 2px rgba(22,119,255,.15)}
.send{flex:none;width:38px;height:38px;border:0;border-radius:10px;background:var(--zk-accent);color:#fff;display:flex;align-items:center;justify-content:center}
.send:disabled{opacity:.45;cursor:default}
.send svg{width:18px;height:18px}
.attach{flex:none;width:38px;height:38px;border:0;border-radius:10px;background:#f0f2f5;color:#595959;display:flex;align-items:center;justify-content:center}
.attach svg{width:20px;height:20px}
.attach:focus-visible{outline:3px solid #91caff;outline-offset:2px}
.files{display:flex;flex-direction:column;gap:4px}
.photo img{display:block;max-width:220px;max-height:220px;border-radius:10px;border:1px solid #eef0f3;background:#fff}
.file{color:var(--zk-accent);font-size:13px}
.status[data-state=notice]{background:#f0f7ff;color:#0958d9;border-color:#d6e8ff}
.callbar{display:flex;align-items:center;gap:8px;background:#f6ffed;color:#237804;border-bottom-color:#b7eb8f}
.callbar>span:first-child{flex:1}
.callbar[data-phase=failed],.callbar[data-phase=no-mic]{background:#fff2f0;color:#a8071a;border-color:#ffccc7}
.timer{font-variant-numeric:tabular-nums}
.hangup{border:0;border-radius:6px;background:#ff4d4f;color:#fff;padding:2px 10px;font-size:12px}
.call:disabled{opacity:.5;cursor:default}
.foot{text-align:center;font-size:11px;color:#bfbfbf;padding:0 0 6px;background:#fff}
@media (max-width:480px){
.panel{inset:0;width:100%;height:100%;border-radius:0}
.root[data-open=true] .launcher{display:none}
.input{font-size:16px}
}
@media (prefers-reduced-motion:reduce){.launcher{transition:none}}
`;
