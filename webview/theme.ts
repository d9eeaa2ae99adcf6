/**
 * Colours and fonts for the canvas charts, read from VS Code's CSS variables. Canvas cannot
 * use `var(--…)`, so the values are resolved here and the charts are rebuilt when VS Code
 * switches theme (it changes the body class and the variables on <html>).
 */

export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

export interface Palette {
  readonly kind: ThemeKind;
  readonly background: string;
  readonly foreground: string;
  readonly muted: string;
  readonly grid: string;
  readonly axis: string;
  readonly blue: string;
  readonly red: string;
  readonly green: string;
  readonly orange: string;
  readonly purple: string;
  readonly yellow: string;
  readonly fontFamily: string;
  /** CSS pixels. */
  readonly fontSize: number;
  /** Extra line width in high-contrast themes, where thin faint lines disappear. */
  readonly lineBoost: number;
}

const probe = document.createElement('canvas').getContext('2d');

/** Any CSS colour as rgba() with the given alpha (canvas normalises the syntax for us). */
export function withAlpha(color: string, alpha: number): string {
  if (!probe) return color;
  probe.fillStyle = '#000';
  probe.fillStyle = color;
  const norm = String(probe.fillStyle);
  let r = 0, g = 0, b = 0, a = 1;
  if (norm.startsWith('#')) {
    r = parseInt(norm.slice(1, 3), 16);
    g = parseInt(norm.slice(3, 5), 16);
    b = parseInt(norm.slice(5, 7), 16);
  } else {
    const m = /rgba?\(([^)]+)\)/.exec(norm);
    if (!m?.[1]) return color;
    const parts = m[1].split(',').map((s) => Number(s.trim()));
    [r, g, b] = [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0];
    a = parts[3] ?? 1;
  }
  return `rgba(${r}, ${g}, ${b}, ${+(a * alpha).toFixed(3)})`;
}

function themeKind(): ThemeKind {
  const c = document.body.classList;
  if (c.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (c.contains('vscode-high-contrast')) return 'high-contrast';
  if (c.contains('vscode-light')) return 'light';
  return 'dark';
}

export function readPalette(): Palette {
  const style = getComputedStyle(document.documentElement);
  const kind = themeKind();
  const light = kind === 'light' || kind === 'high-contrast-light';
  const hc = kind.startsWith('high-contrast');
  const css = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  const foreground = css('--vscode-editor-foreground', css('--vscode-foreground', light ? '#333333' : '#cccccc'));
  const muted = css('--vscode-descriptionForeground', withAlpha(foreground, 0.75));
  const fontSize = parseFloat(css('--vscode-font-size', '13')) || 13;
  return {
    kind,
    background: css('--vscode-editor-background', light ? '#ffffff' : '#1e1e1e'),
    foreground,
    muted,
    grid: hc ? withAlpha(foreground, 0.35) : withAlpha(foreground, light ? 0.1 : 0.09),
    axis: hc ? css('--vscode-contrastBorder', foreground) : withAlpha(foreground, 0.35),
    blue: css('--vscode-charts-blue', light ? '#1a85ff' : '#3794ff'),
    red: css('--vscode-charts-red', light ? '#e51400' : '#f14c4c'),
    green: css('--vscode-charts-green', light ? '#388a34' : '#89d185'),
    orange: css('--vscode-charts-orange', '#d18616'),
    purple: css('--vscode-charts-purple', light ? '#652d90' : '#b180d7'),
    yellow: css('--vscode-charts-yellow', light ? '#bf8803' : '#cca700'),
    fontFamily: css('--vscode-font-family', 'system-ui, sans-serif'),
    fontSize,
    lineBoost: hc ? 0.75 : 0,
  };
}

/** Canvas font shorthand in the UI font, `delta` px relative to the UI size, times `scale` (device pixels for drawing on a canvas directly). */
export function canvasFont(p: Palette, delta = -2, weight = 400, scale = 1): string {
  return `${weight} ${Math.max(9, p.fontSize + delta) * scale}px ${p.fontFamily}`;
}

/**
 * Calls `onChange` with a fresh palette after a theme switch. VS Code updates the body class
 * and the variables on <html> in separate steps, so both are watched and the re-read waits a
 * frame; a palette identical to the previous one is not reported.
 */
export function observeTheme(onChange: (p: Palette) => void): void {
  let last = JSON.stringify(readPalette());
  let pending = false;
  const check = (): void => {
    pending = false;
    const p = readPalette();
    const key = JSON.stringify(p);
    if (key !== last) {
      last = key;
      onChange(p);
    }
  };
  const observer = new MutationObserver(() => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(check);
  });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
}

/** Whether the user asked the OS for less motion; tracked live. */
export function watchReducedMotion(onChange: (reduced: boolean) => void): boolean {
  const mq = window.matchMedia('(prefers-reduced-motion: reduce)');
  mq.addEventListener('change', () => onChange(mq.matches));
  return mq.matches;
}
