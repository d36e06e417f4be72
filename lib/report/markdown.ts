/** Small Markdown builders for synth reports; cells are escaped so values cannot break a table. */

export function escapeCell(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return (text ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function table(headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
  if (rows.length === 0) return '_none_\n';
  const lines = [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`];
  for (const row of rows) lines.push(`| ${row.map(escapeCell).join(' | ')} |`);
  return `${lines.join('\n')}\n`;
}

export function section(title: string, body: string, level = 2): string {
  return `${'#'.repeat(level)} ${title}\n\n${body.trimEnd()}\n\n`;
}
