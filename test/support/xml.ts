/** An element of a parsed XML document. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Record<string, string>;
  readonly children: XmlElement[];
  text: string;
}

const NAME = '[A-Za-z_][\\w.:-]*';
const ATTRIBUTE = new RegExp(`\\s+(${NAME})\\s*=\\s*"([^"<]*)"`, 'y');
const ENTITY = /&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g;

/**
 * A strict parser for the XML the tests read (no DTD, CDATA or processing instructions except
 * the declaration): throws on anything not well-formed, such as a tag closed out of order, a
 * duplicate attribute, or a raw "&" or "<" in text or attribute values.
 */
export function parseXml(source: string): XmlElement {
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`not well-formed XML at ${i}: ${why}: ${JSON.stringify(source.slice(i, i + 40))}`);
  };
  const checkText = (text: string) => {
    if (text.includes('<')) fail('raw "<"');
    if (text.replace(ENTITY, '').includes('&')) fail('raw "&"');
  };
  if (source.startsWith('<?xml')) {
    const end = source.indexOf('?>');
    if (end < 0) fail('unterminated declaration');
    i = end + 2;
  }
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < source.length) {
    const next = source.indexOf('<', i);
    const text = source.slice(i, next < 0 ? source.length : next);
    checkText(text);
    if (stack.length > 0) stack[stack.length - 1].text += text;
    else if (text.trim() !== '') fail('text outside the root element');
    if (next < 0) break;
    i = next;
    if (source.startsWith('</', i)) {
      const match = new RegExp(`</(${NAME})\\s*>`, 'y');
      match.lastIndex = i;
      const m = match.exec(source) ?? fail('bad closing tag');
      const open = stack.pop() ?? fail(`closing ${m[1]} with nothing open`);
      if (open.name !== m[1]) fail(`closing ${m[1]} while ${open.name} is open`);
      i = match.lastIndex;
      continue;
    }
    const start = new RegExp(`<(${NAME})`, 'y');
    start.lastIndex = i;
    const m = start.exec(source) ?? fail('bad tag');
    i = start.lastIndex;
    const attributes: Record<string, string> = {};
    for (;;) {
      ATTRIBUTE.lastIndex = i;
      const a = ATTRIBUTE.exec(source);
      if (!a) break;
      if (a[1] in attributes) fail(`duplicate attribute ${a[1]}`);
      checkText(a[2]);
      attributes[a[1]] = a[2];
      i = ATTRIBUTE.lastIndex;
    }
    const close = /\s*(\/?)>/y;
    close.lastIndex = i;
    const c = close.exec(source) ?? fail('unterminated tag');
    i = close.lastIndex;
    const element: XmlElement = { name: m[1], attributes, children: [], text: '' };
    if (stack.length > 0) stack[stack.length - 1].children.push(element);
    else if (root) fail('a second root element');
    else root = element;
    if (c[1] !== '/') stack.push(element);
  }
  if (stack.length > 0) fail(`${stack[stack.length - 1].name} is never closed`);
  return root ?? fail('no root element');
}

/** Every element below (and including) `element`, depth first. */
export function descendants(element: XmlElement): XmlElement[] {
  return [element, ...element.children.flatMap(descendants)];
}
