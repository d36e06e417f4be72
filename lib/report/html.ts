/**
 * The synth reports as one HTML page. The Markdown the reports are written in is converted here
 * by a deliberately small converter: the subset `markdown.ts` and the report sections write
 * (headings, paragraphs, pipe tables, "- " lists, code spans, bold, `_italic_`, images), every
 * piece of text escaped, an image only from a relative path. A full Markdown library would be a
 * runtime dependency for four constructs, and one that passes raw HTML through. No script, no
 * external resource: the page works from a checkout, over file://, and its Content-Security-Policy
 * says so. Same reports, same bytes.
 */

export interface HtmlSection {
  /** Anchor of the section, e.g. "region-changsha"; also prefixes its headings' anchors. */
  readonly id: string;
  /** Its entry in the page's table of contents. */
  readonly title: string;
  readonly markdown: string;
}

export interface HtmlPage {
  readonly title: string;
  readonly sections: readonly HtmlSection[];
}

const STYLE = [
  'body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC",sans-serif;margin:0;color:#1b1b1b;line-height:1.45}',
  'nav{position:sticky;top:0;background:#f5f7fa;border-bottom:1px solid #d0d7de;padding:.5em 1.5em}',
  'nav a{margin-right:1.2em}',
  'main{padding:0 1.5em 3em;max-width:110em}',
  'section{border-bottom:2px solid #d0d7de;padding-bottom:1em}',
  // The sticky table of contents must not cover the heading an anchor jumps to.
  'section,h1,h2,h3{scroll-margin-top:3em}',
  'table{border-collapse:collapse;margin:.5em 0;font-size:.9em;display:block;overflow-x:auto}',
  'th,td{border:1px solid #d0d7de;padding:.25em .5em;vertical-align:top;text-align:left}',
  'th{background:#f5f7fa}',
  'code{background:#f0f2f4;padding:0 .2em;border-radius:3px;font-size:.92em}',
  'img{max-width:100%;height:auto;display:block;margin:.5em 0;border:1px solid #e1e4e8}',
].join('\n');

/** The page: a table of contents, then each section's Markdown as HTML. */
export function htmlPage(page: HtmlPage): string {
  const { head, tail } = htmlPageFrame(page.title, page.sections);
  return head + page.sections.map(htmlSection).join('\n') + tail;
}

/**
 * The page around its sections, for a writer that makes the sections one at a time: the page is
 * `head`, then each {@link htmlSection}, separated by a newline, then `tail` (the bytes of
 * {@link htmlPage}). `sections` names them for the table of contents.
 */
export function htmlPageFrame(title: string, sections: ReadonlyArray<Pick<HtmlSection, 'id' | 'title'>>): { head: string; tail: string } {
  const nav = sections.map((s) => `<a href="#${escapeAttribute(s.id)}">${escapeHtml(s.title)}</a>`).join('\n');
  const head = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    // Nothing but the page's own images and its inline style: no script can run, nothing is fetched elsewhere.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>\n${STYLE}\n</style>`,
    '</head>',
    '<body>',
    `<nav>\n${nav}\n</nav>`,
    '<main>',
    '',
  ].join('\n');
  return { head, tail: ['', '</main>', '</body>', '</html>', ''].join('\n') };
}

/** One section of the page as HTML. */
export function htmlSection(section: HtmlSection): string {
  return `<section id="${escapeAttribute(section.id)}">\n${markdownToHtml(section.markdown, section.id)}</section>`;
}

/**
 * The Markdown subset as HTML. Anything outside the subset is shown as text, escaped: a report
 * can never inject markup, whatever a spec's names hold.
 */
export function markdownToHtml(markdown: string, idPrefix = ''): string {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  const slugs = new Map<string, number>();
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (line.trim() === '') {
      i++;
      continue;
    }
    const heading = /^(#{1,6}) +(.*)$/.exec(line);
    if (heading) {
      const level = heading[1].length;
      const text = heading[2].trim();
      const base = `${idPrefix ? `${idPrefix}-` : ''}${slug(text)}`;
      const seen = slugs.get(base) ?? 0;
      slugs.set(base, seen + 1);
      const id = seen === 0 ? base : `${base}-${seen + 1}`;
      out.push(`<h${level} id="${escapeAttribute(id)}">${inline(text)}</h${level}>`);
      i++;
      continue;
    }
    if (isTableRow(line) && i + 1 < lines.length && /^\|(\s*:?-+:?\s*\|)+\s*$/.test(lines[i + 1])) {
      const header = cells(line);
      const rows: string[][] = [];
      i += 2;
      while (i < lines.length && isTableRow(lines[i])) rows.push(cells(lines[i++]));
      out.push('<table>');
      out.push(`<thead><tr>${header.map((c) => `<th>${inline(c)}</th>`).join('')}</tr></thead>`);
      out.push('<tbody>');
      for (const row of rows) out.push(`<tr>${row.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`);
      out.push('</tbody>');
      out.push('</table>');
      continue;
    }
    if (/^- /.test(line)) {
      out.push('<ul>');
      while (i < lines.length && /^- /.test(lines[i])) out.push(`<li>${inline(lines[i++].slice(2).trim())}</li>`);
      out.push('</ul>');
      continue;
    }
    const image = /^!\[([^\]]*)\]\(([^)\s]+)\)$/.exec(line.trim());
    if (image) {
      out.push(`<p>${inline(line.trim())}</p>`);
      i++;
      continue;
    }
    // A paragraph: lines up to a blank line or the start of another block.
    const paragraph: string[] = [];
    while (i < lines.length && lines[i].trim() !== '' && !/^(#{1,6} |- |\|)/.test(lines[i])) paragraph.push(lines[i++].trim());
    if (paragraph.length === 0) paragraph.push(lines[i++].trim());
    out.push(`<p>${inline(paragraph.join(' '))}</p>`);
  }
  return `${out.join('\n')}\n`;
}

function isTableRow(line: string): boolean {
  return /^\|.*\|\s*$/.test(line);
}

/** The cells of a table row; `\|` is a bar inside a cell. */
function cells(line: string): string[] {
  const inner = line.trim().slice(1, -1);
  if (!inner.includes('\\|')) return inner.split('|').map((cell) => cell.trim());
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < inner.length; i++) {
    if (inner[i] === '\\' && inner[i + 1] === '|') {
      current += '|';
      i++;
    } else if (inner[i] === '|') {
      out.push(current.trim());
      current = '';
    } else {
      current += inner[i];
    }
  }
  out.push(current.trim());
  return out;
}

/** Code spans first (their content is literal), then images, bold and italics in the rest. */
function inline(text: string): string {
  const parts = text.split(/(`+)([\s\S]*?[^`])\1(?!`)/);
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    if (i % 3 === 0) out += emphasis(parts[i]);
    else if (i % 3 === 2) out += `<code>${escapeHtml(parts[i].trim() || parts[i])}</code>`;
  }
  return out;
}

function emphasis(text: string): string {
  /* eslint-disable no-control-regex -- NUL marks where an image goes: removed from the text first, so only these marks remain */
  // Most cells hold none of the marks: each pass below runs only when its mark is there.
  if (!/[&<>"*_!\u0000]/.test(text)) return text;
  const images: string[] = [];
  // Images are cut out before escaping, their alt text and path escaped on their own.
  let html = text.includes('\u0000') ? text.replace(/\u0000/g, '') : text;
  if (html.includes('![')) {
    html = html.replace(/!\[([^\]]*)\]\(([^)\s]+)\)/g, (whole, alt: string, src: string) => {
      if (!isRelativePath(src)) return whole;
      images.push(`<img src="${escapeAttribute(src)}" alt="${escapeAttribute(alt)}">`);
      return `\u0000${images.length - 1}\u0000`;
    });
  }
  html = escapeHtml(html);
  if (html.includes('**')) html = html.replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
  if (html.includes('_')) html = html.replace(/(^|[\s(])_([^_\s](?:[^_]*[^_\s])?)_(?=$|[\s.,;:)])/g, '$1<em>$2</em>');
  if (images.length > 0) html = html.replace(/\u0000(\d+)\u0000/g, (_, index: string) => images[Number(index)]);
  return html;
  /* eslint-enable no-control-regex */
}

/** A path below the page's folder: no scheme, no absolute path, no way up. */
function isRelativePath(src: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9._\-/]*$/.test(src) && !src.split('/').includes('..');
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'section'
  );
}

const HTML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

export function escapeHtml(text: string): string {
  // One pass, and none for the text with nothing to escape, which is most of it.
  return /[&<>"]/.test(text) ? text.replace(/[&<>"]/g, (c) => HTML_ENTITIES[c]) : text;
}

function escapeAttribute(text: string): string {
  return escapeHtml(text).replace(/'/g, '&#39;');
}
