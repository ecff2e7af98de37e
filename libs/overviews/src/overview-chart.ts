import { formatEuro } from '@ps/kernel';
import { ObjectiveFigures } from './overview';

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const LABEL_WIDTH = 220;
const BAR_WIDTH = 420;
const VALUE_WIDTH = 150;
const BAR_HEIGHT = 14;
const GROUP_HEIGHT = 2 * BAR_HEIGHT + 18;
const TOP = 30;

/**
 * A horizontal bar chart of the committed and the allocated amount per objective, rendered on the server as SVG:
 * `role="img"` named by its `<title>` and described by its `<desc>`; the page shows the same figures in a table next to it.
 * Colours: GOV.UK blue and dark grey, with a pattern-free legend that also names each bar in text.
 */
export function objectivesChartSvg(objectives: ObjectiveFigures[], id = 'chart-objectives'): string {
  return amountsChartSvg(objectives, id, 'Vastgelegd en toegekend bedrag per doelstelling');
}

/** The same chart for any named amounts (provinces, reference regions): committed and allocated per item, titled `title`. */
export function amountsChartSvg(items: { nameNl: string; committedCents: number; allocatedCents: number }[], id: string, title: string): string {
  const objectives = items;
  const max = Math.max(1, ...objectives.flatMap((o) => [o.committedCents, o.allocatedCents]));
  const width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH;
  const height = TOP + objectives.length * GROUP_HEIGHT + 10;
  const bar = (cents: number) => Math.round((cents / max) * BAR_WIDTH);
  const groups = objectives.map((o, i) => {
    const y = TOP + i * GROUP_HEIGHT;
    return [
      `<g>`,
      `<text x="0" y="${y + BAR_HEIGHT + 4}" font-size="13" fill="#0b0c0c">${escape(o.nameNl)}</text>`,
      `<rect x="${LABEL_WIDTH}" y="${y}" width="${bar(o.committedCents)}" height="${BAR_HEIGHT}" fill="#1d70b8"/>`,
      `<text x="${LABEL_WIDTH + bar(o.committedCents) + 6}" y="${y + BAR_HEIGHT - 2}" font-size="12" fill="#0b0c0c">${escape(formatEuro(o.committedCents))}</text>`,
      `<rect x="${LABEL_WIDTH}" y="${y + BAR_HEIGHT + 2}" width="${bar(o.allocatedCents)}" height="${BAR_HEIGHT}" fill="#505a5f"/>`,
      `<text x="${LABEL_WIDTH + bar(o.allocatedCents) + 6}" y="${y + 2 * BAR_HEIGHT}" font-size="12" fill="#0b0c0c">${escape(formatEuro(o.allocatedCents))}</text>`,
      `</g>`,
    ].join('');
  });
  const legend =
    `<rect x="${LABEL_WIDTH}" y="4" width="12" height="12" fill="#1d70b8"/><text x="${LABEL_WIDTH + 18}" y="15" font-size="13" fill="#0b0c0c">vastgelegd</text>` +
    `<rect x="${LABEL_WIDTH + 120}" y="4" width="12" height="12" fill="#505a5f"/><text x="${LABEL_WIDTH + 138}" y="15" font-size="13" fill="#0b0c0c">toegekend</text>`;
  const description = objectives.map((o) => `${o.nameNl}: vastgelegd ${formatEuro(o.committedCents)}, toegekend ${formatEuro(o.allocatedCents)}`).join('; ');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px">` +
    `<title id="${id}-title">${escape(title)}</title>` +
    `<desc id="${id}-desc">${escape(description || 'Geen bedragen met deze filters.')}</desc>` +
    legend +
    groups.join('') +
    `</svg>`
  );
}
