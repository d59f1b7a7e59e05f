// The GIC/ITS panel's webview script (plain JS, loaded under a nonce CSP): places the HTML the extension
// host renders (src/extension/gicPanelHtml.ts, everything escaped there) and sends the MSI path form. The
// open/closed state of each section and the form's values survive re-renders and the view being hidden.
(function () {
  const vscode = acquireVsCodeApi();
  const content = document.getElementById('content');
  const msiOut = document.getElementById('msiOut');
  const form = document.getElementById('msi');
  const dev = document.getElementById('dev');
  const evt = document.getElementById('evt');
  const saved = vscode.getState() || {};
  const open = saved.open || {};
  if (saved.dev !== undefined) dev.value = saved.dev;
  if (saved.evt !== undefined) evt.value = saved.evt;
  const save = () => vscode.setState({ open, dev: dev.value, evt: evt.value, msi: saved.msi });

  content.addEventListener('toggle', (e) => {
    if (e.target && e.target.id) {
      open[e.target.id] = e.target.open;
      save();
    }
  }, true);

  window.addEventListener('message', (ev) => {
    const m = ev.data;
    if (m.type === 'render') {
      content.innerHTML = m.html;
      for (const d of content.querySelectorAll('details[id]')) {
        if (open[d.id] !== undefined) d.open = open[d.id];
      }
    } else if (m.type === 'msi') {
      msiOut.innerHTML = m.html;
    }
  });

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    saved.msi = true;
    save();
    vscode.postMessage({ type: 'msiPath', deviceId: dev.value.trim(), eventId: evt.value.trim() });
  });

  vscode.postMessage({ type: 'ready' });
  if (saved.msi) vscode.postMessage({ type: 'msiPath', deviceId: dev.value.trim(), eventId: evt.value.trim() });
})();
