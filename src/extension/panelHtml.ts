/**
 * The inspector panel's HTML shell. Pure (no vscode import) so it can be unit-tested and used
 * by the Chromium harness. Everything visible is built by dist/webview.js; the page itself
 * holds no data (the host replays the run as messages once the script says 'ready').
 */

export interface PanelHtmlOptions {
  /** `webview.cspSource`: the origin allowed for the stylesheet, images and fonts. */
  readonly cspSource: string;
  /** Per-load random nonce (base64/base64url) that authorises the one script. */
  readonly nonce: string;
  readonly scriptUri: string;
  readonly styleUri: string;
  readonly title: string;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export function renderPanelHtml(opts: PanelHtmlOptions): string {
  // A nonce outside this alphabet could break out of the CSP or the attribute.
  if (!/^[A-Za-z0-9+/_=-]{16,}$/.test(opts.nonce)) throw new Error('renderPanelHtml: the nonce must be at least 16 base64 characters');
  // A ';' or line break in the source list would smuggle in extra CSP directives.
  if (/[;\r\n]/.test(opts.cspSource)) throw new Error('renderPanelHtml: invalid cspSource');
  const source = opts.cspSource.trim();
  // No 'unsafe-inline' for styles: uPlot sizes and colours its elements through the CSSOM
  // (element.style.x = …), which style-src does not govern; only style attributes and
  // <style> elements in markup would need it, and this page has none.
  const csp = [
    "default-src 'none'",
    `img-src ${source} data:`,
    `style-src ${source}`,
    `script-src 'nonce-${opts.nonce}'`,
    `font-src ${source}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${escapeHtml(opts.styleUri)}">
<title>${escapeHtml(opts.title)}</title>
</head>
<body>
<div id="app"></div>
<script nonce="${opts.nonce}" src="${escapeHtml(opts.scriptUri)}"></script>
</body>
</html>
`;
}
