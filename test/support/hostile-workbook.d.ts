/** A zip of deflated entries, as Excel writes one. */
export function zipOf(files: Record<string, string>): Buffer;
/** A minimal .xlsx whose one sheet holds `rows` empty rows: a few KB packed, megabytes unpacked. */
export function hostileWorkbook(rows: number): Buffer;
