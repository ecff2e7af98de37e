import { formatEuro } from '@ps/kernel';
import { ObjectiveFigures } from './overview';

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

// Narrow enough to stay readable from a 320 px wide screen: each name on its own line above its two bars.
const WIDTH = 360;
const BAR_WIDTH = 220;
const BAR_HEIGHT = 14;
const LABEL_HEIGHT = 18;
const GROUP_HEIGHT = LABEL_HEIGHT + 2 * BAR_HEIGHT + 16;
const TOP = 30;

/**
 * A horizontal bar chart of the committed and the allocated amount per objective, rendered on the server as SVG:
 * `role="img"` named by its `<title>` and described by its `<desc>`; the page shows the same figures in a table next to it.
 * Colours: GOV.UK blue and dark grey, with a pattern-free legend that also names each bar in text.
 * No inline style (the site's Content-Security-Policy blocks it): the class ps-chart sizes it (app.scss).
 */
export function objectivesChartSvg(objectives: ObjectiveFigures[], id = 'chart-objectives'): string {
  return amountsChartSvg(objectives, id, 'Vastgelegd en toegekend bedrag per doelstelling');
}

/** The same chart for any named amounts (provinces, reference regions): committed and allocated per item, titled `title`. */
export function amountsChartSvg(items: { nameNl: string; committedCents: number; allocatedCents: number }[], id: string, title: string): string {
  const objectives = items;
  const max = Math.max(1, ...objectives.flatMap((o) => [o.committedCents, o.allocatedCents]));
  const height = TOP + objectives.length * GROUP_HEIGHT;
  const bar = (cents: number) => Math.round((cents / max) * BAR_WIDTH);
  const groups = objectives.map((o, i) => {
    const y = TOP + i * GROUP_HEIGHT;
    const bars = y + LABEL_HEIGHT;
    return [
      `<g>`,
      `<text x="0" y="${y + 13}" font-size="13" fill="#0b0c0c">${escape(o.nameNl)}</text>`,
      `<rect x="0" y="${bars}" width="${bar(o.committedCents)}" height="${BAR_HEIGHT}" fill="#1d70b8"/>`,
      `<text x="${bar(o.committedCents) + 6}" y="${bars + BAR_HEIGHT - 2}" font-size="12" fill="#0b0c0c">${escape(formatEuro(o.committedCents))}</text>`,
      `<rect x="0" y="${bars + BAR_HEIGHT + 2}" width="${bar(o.allocatedCents)}" height="${BAR_HEIGHT}" fill="#505a5f"/>`,
      `<text x="${bar(o.allocatedCents) + 6}" y="${bars + 2 * BAR_HEIGHT}" font-size="12" fill="#0b0c0c">${escape(formatEuro(o.allocatedCents))}</text>`,
      `</g>`,
    ].join('');
  });
  const legend =
    `<rect x="0" y="4" width="12" height="12" fill="#1d70b8"/><text x="18" y="15" font-size="13" fill="#0b0c0c">vastgelegd</text>` +
    `<rect x="120" y="4" width="12" height="12" fill="#505a5f"/><text x="138" y="15" font-size="13" fill="#0b0c0c">toegekend</text>`;
  const description = objectives.map((o) => `${o.nameNl}: vastgelegd ${formatEuro(o.committedCents)}, toegekend ${formatEuro(o.allocatedCents)}`).join('; ');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${WIDTH} ${height}" class="ps-chart">` +
    `<title id="${id}-title">${escape(title)}</title>` +
    `<desc id="${id}-desc">${escape(description || 'Geen bedragen met deze filters.')}</desc>` +
    legend +
    groups.join('') +
    `</svg>`
  );
}
