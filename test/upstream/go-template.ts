/**
 * Go's `text/template`, as far as Argo CD's ApplicationSet controller uses it on what this library emits: a port of
 * the lexer, parser and executor of the Go standard library (`text/template/parse/lex.go`, `parse.go`,
 * `text/template/exec.go`, `funcs.go`; Go 1.25, which Argo CD v3.5.1 builds with), reduced to text, actions with trim
 * markers, comments, pipelines of fields, variables `$`, literals and function calls, parenthesised pipelines (and
 * field chains on them, `(x).a`), and `if` / `else` / `else if` / `with` / `else with` / `end`. The functions are Go's
 * builtins the library could reach (`eq`, `ne`, `lt`, `le`, `gt`, `ge`, `not`, `and`, `or`, `len`, `index`, `print`,
 * `printf`) and the Sprig functions Argo CD adds that it could (`toJson`, `default`, `quote`, `lower`, `upper`, `trim`,
 * `replace`, `hasPrefix`, `hasSuffix`, `contains`; Masterminds/sprig v3). Anything else (`range`, `define`,
 * `template`, `block`, variable declarations, other functions) is refused with an error rather than rendered wrongly.
 *
 * Data is JSON, as Argo CD's parameters are (`map[string]any`): `undefined` is Go's invalid value (a missing key),
 * `null` a nil `interface{}`. Go's number kinds are not modelled: every number is one kind, so `eq 2 2.0` is true here
 * where Go refuses to compare an int with a float64 (and Argo CD, whose JSON numbers are float64, refuses `eq .n 2`).
 *
 * `missingkey=error` (what the library sets) makes a missing map key an error, as `Option("missingkey=error")` does.
 * Execution errors read as Go's: `template: <name>:<line>:<col>: executing "<name>" at <<node>>: <message>`.
 */

/** Options as Argo CD passes `goTemplateOptions`. */
export interface GoTemplateOptions {
  readonly missingKey?: 'default' | 'zero' | 'error';
}

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'action'; pipe: Pipeline }
  | { kind: 'if' | 'with'; pipe: Pipeline; then: Node[]; otherwise: Node[] };

/** Where a parse node is, for errors: `pos` is Go's `Node.Position()` (an offset in the template), `text` its `String()`. */
interface Located {
  readonly pos: number;
  readonly text: string;
}
interface Pipeline extends Located { readonly commands: Command[] }
interface Command extends Located { readonly operands: Operand[] }
type Operand = Located & (
  | { kind: 'dot'; fields: string[] }
  | { kind: 'var'; name: string; fields: string[] }
  | { kind: 'literal'; value: unknown }
  | { kind: 'func'; name: string }
  | { kind: 'pipe'; pipe: Pipeline; fields: string[] });

/** A token of an action, with its offset in the template. */
interface Token {
  readonly text: string;
  readonly pos: number;
}

/** An error as Go prints it: `template: <name>:<line>: <message>`. */
export class GoTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GoTemplateError';
  }
}

/** Go's builtins and the Sprig functions of the port, with the arity Go checks before a call (`evalCall`). */
const FUNCTIONS: Readonly<Record<string, { min: number; variadic: boolean }>> = {
  eq: { min: 1, variadic: true },
  ne: { min: 2, variadic: false },
  lt: { min: 2, variadic: false },
  le: { min: 2, variadic: false },
  gt: { min: 2, variadic: false },
  ge: { min: 2, variadic: false },
  not: { min: 1, variadic: false },
  and: { min: 1, variadic: true },
  or: { min: 1, variadic: true },
  len: { min: 1, variadic: false },
  index: { min: 1, variadic: true },
  print: { min: 0, variadic: true },
  printf: { min: 1, variadic: true },
  toJson: { min: 1, variadic: false },
  default: { min: 1, variadic: true },
  quote: { min: 0, variadic: true },
  lower: { min: 1, variadic: false },
  upper: { min: 1, variadic: false },
  trim: { min: 1, variadic: false },
  replace: { min: 3, variadic: false },
  hasPrefix: { min: 2, variadic: false },
  hasSuffix: { min: 2, variadic: false },
  contains: { min: 2, variadic: false },
};

const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
const isMap = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

type LexItem = { text: string } | { action: string; line: number; offset: number };

/** Splits a template into text and the inside of each action, applying trim markers (`lex.go`). */
function lex(template: string, name: string): LexItem[] {
  const lineAt = (pos: number) => template.slice(0, pos).split('\n').length;
  const items: LexItem[] = [];
  let pos = 0;
  let trimNext = false;
  while (pos < template.length) {
    const open = template.indexOf('{{', pos);
    let text = open < 0 ? template.slice(pos) : template.slice(pos, open);
    if (trimNext) {
      text = text.replace(/^[ \t\r\n]+/, '');
      trimNext = false;
    }
    if (open < 0) {
      items.push({ text });
      break;
    }
    let inner = open + 2;
    if (template[inner] === '-' && isSpace(template[inner + 1])) {
      text = text.replace(/[ \t\r\n]+$/, '');
      inner += 2;
    }
    items.push({ text });
    // Find the closing delimiter, skipping quoted strings; an unterminated one is reported at the line it starts on.
    let i = inner;
    let quote: string | undefined;
    let quoteStart = 0;
    const unterminated = () => {
      const what = quote === '`' ? 'raw quoted string' : quote === '"' ? 'quoted string' : 'character constant';
      return new GoTemplateError(`template: ${name}:${lineAt(quoteStart)}: unterminated ${what}`);
    };
    while (i < template.length) {
      const c = template[i];
      if (quote !== undefined) {
        if (c === '\\' && quote !== '`') {
          i += 2;
          continue;
        }
        if (c === '\n' && quote !== '`') {
          throw unterminated();
        }
        if (c === quote) {
          quote = undefined;
        }
      } else if (c === '"' || c === '`' || c === '\'') {
        quote = c;
        quoteStart = i;
      } else if (template.startsWith('}}', i)) {
        break;
      }
      i++;
    }
    if (quote !== undefined) {
      throw unterminated();
    }
    if (i >= template.length) {
      throw new GoTemplateError(`template: ${name}:${lineAt(open)}: unclosed action`);
    }
    let body = template.slice(inner, i);
    if (body.length >= 2 && body.endsWith('-') && isSpace(body[body.length - 2])) {
      body = body.slice(0, -2);
      trimNext = true;
    }
    const trimmed = body.trim();
    if (!(trimmed.startsWith('/*') && trimmed.endsWith('*/'))) {
      items.push({ action: body, line: lineAt(open), offset: inner });
    }
    pos = i + 2;
  }
  return items;
}

/** Tokens of one action, each with its offset in the template. */
function tokenize(action: string, offset: number, where: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < action.length) {
    const c = action[i];
    if (isSpace(c)) {
      i++;
    } else if (c === '"' || c === '`' || c === '\'') {
      let j = i + 1;
      while (j < action.length && action[j] !== c) {
        j += c !== '`' && action[j] === '\\' ? 2 : 1;
      }
      if (j >= action.length) {
        throw new GoTemplateError(`${where}: unterminated quoted string`);
      }
      tokens.push({ text: action.slice(i, j + 1), pos: offset + i });
      i = j + 1;
    } else if (c === '(' || c === ')' || c === '|') {
      tokens.push({ text: c, pos: offset + i });
      i++;
    } else if (action.startsWith(':=', i) || c === '=') {
      throw new GoTemplateError(`${where}: variable declarations are not supported by this port`);
    } else {
      let j = i;
      while (j < action.length && !isSpace(action[j]) && !'()|'.includes(action[j])) {
        j++;
      }
      tokens.push({ text: action.slice(i, j), pos: offset + i });
      i = j;
    }
  }
  return tokens;
}

function unquote(token: string, where: string): unknown {
  if (token.startsWith('`')) {
    return token.slice(1, -1);
  }
  if (token.startsWith('"')) {
    try {
      return JSON.parse(token) as string;
    } catch {
      throw new GoTemplateError(`${where}: malformed string ${token}`);
    }
  }
  throw new GoTemplateError(`${where}: character constants are not supported by this port`);
}

const fieldsOf = (text: string) => text.split('.').filter((f) => f !== '');

function parsePipeline(tokens: readonly Token[], where: string): Pipeline {
  let i = 0;
  // Go's `operand`: a term, then the fields of a chain written right after it (`.a.b`, `$.a`, `(x).a`). The node of a
  // chain is positioned where its fields start: `.a.b` at `.b`, `$.a` at `.a`, `(x).a` at `.a`.
  const parseOperand = (): Operand => {
    const token = tokens[i++];
    const t = token.text;
    if (t === '(') {
      const start = i;
      let depth = 1;
      while (i < tokens.length && depth > 0) {
        depth += tokens[i].text === '(' ? 1 : tokens[i].text === ')' ? -1 : 0;
        i++;
      }
      if (depth !== 0) {
        throw new GoTemplateError(`${where}: unclosed left paren`);
      }
      const close = tokens[i - 1];
      const pipe = parsePipeline(tokens.slice(start, i - 1), where);
      const next = tokens[i];
      if (next !== undefined && next.pos === close.pos + 1 && /^\.[A-Za-z_]/.test(next.text)) {
        i++;
        return { kind: 'pipe', pipe, fields: fieldsOf(next.text), pos: next.pos, text: `(${pipe.text})${next.text}` };
      }
      return { kind: 'pipe', pipe, fields: [], pos: pipe.pos, text: `(${pipe.text})` };
    }
    if (t === '.') {
      return { kind: 'dot', fields: [], pos: token.pos, text: t };
    }
    if (t.startsWith('.')) {
      const fields = fieldsOf(t);
      return { kind: 'dot', fields, pos: fields.length > 1 ? token.pos + 1 + fields[0].length : token.pos, text: t };
    }
    if (t.startsWith('$')) {
      const [name, ...fields] = t.split('.');
      return { kind: 'var', name, fields, pos: fields.length > 0 ? token.pos + name.length : token.pos, text: t };
    }
    if (t.startsWith('"') || t.startsWith('`') || t.startsWith('\'')) {
      return { kind: 'literal', value: unquote(t, where), pos: token.pos, text: t };
    }
    if (t === 'true' || t === 'false') {
      return { kind: 'literal', value: t === 'true', pos: token.pos, text: t };
    }
    if (t === 'nil') {
      return { kind: 'literal', value: null, pos: token.pos, text: t };
    }
    if (/^[+-]?\d+(\.\d+)?$/.test(t)) {
      return { kind: 'literal', value: Number(t), pos: token.pos, text: t };
    }
    if (/^[A-Za-z_]\w*$/.test(t)) {
      if (!hasOwn(FUNCTIONS, t)) {
        throw new GoTemplateError(`${where}: function "${t}" not defined`);
      }
      return { kind: 'func', name: t, pos: token.pos, text: t };
    }
    throw new GoTemplateError(`${where}: unexpected "${t}" in command`);
  };
  const commands: Command[] = [];
  let current: Operand[] = [];
  let start = tokens[0]?.pos ?? 0;
  const endCommand = () => {
    commands.push({ operands: current, pos: start, text: current.map((o) => o.text).join(' ') });
    current = [];
  };
  while (i < tokens.length) {
    if (tokens[i].text === '|') {
      if (current.length === 0) {
        throw new GoTemplateError(`${where}: missing command`);
      }
      endCommand();
      i++;
      start = tokens[i]?.pos ?? start;
      continue;
    }
    if (tokens[i].text === ')') {
      throw new GoTemplateError(`${where}: unexpected right paren`);
    }
    current.push(parseOperand());
  }
  if (current.length === 0) {
    throw new GoTemplateError(`${where}: missing value for command`);
  }
  endCommand();
  return { commands, pos: tokens[0].pos, text: commands.map((c) => c.text).join(' | ') };
}

/** Parses a template (`parse.go`); throws Go's parse errors. */
export function parseGoTemplate(template: string, name = 'base'): Node[] {
  const root: Node[] = [];
  const stack: Array<{ node: Extract<Node, { kind: 'if' | 'with' }>; inElse: boolean; elseIfDepth: number }> = [];
  const target = () => {
    const top = stack[stack.length - 1];
    return top === undefined ? root : top.inElse ? top.node.otherwise : top.node.then;
  };
  for (const item of lex(template, name)) {
    if ('text' in item) {
      if (item.text !== '') {
        target().push({ kind: 'text', text: item.text });
      }
      continue;
    }
    const where = `template: ${name}:${item.line}`;
    const tokens = tokenize(item.action, item.offset, where);
    const [keyword, ...rest] = tokens.map((t) => t.text);
    if (keyword === 'if' || keyword === 'with') {
      const node = { kind: keyword, pipe: parsePipeline(tokens.slice(1), where), then: [], otherwise: [] } as Extract<Node, { kind: 'if' | 'with' }>;
      target().push(node);
      stack.push({ node, inElse: false, elseIfDepth: 0 });
    } else if (keyword === 'else') {
      const top = stack[stack.length - 1];
      if (top === undefined || top.inElse) {
        throw new GoTemplateError(`${where}: unexpected {{else}}`);
      }
      top.inElse = true;
      if (rest[0] === 'if' || rest[0] === 'with') {
        // `{{else if x}}` is `{{else}}{{if x}}...{{end}}{{end}}` with one shared end.
        const node = { kind: rest[0], pipe: parsePipeline(tokens.slice(2), where), then: [], otherwise: [] } as Extract<Node, { kind: 'if' | 'with' }>;
        top.node.otherwise.push(node);
        stack.push({ node, inElse: false, elseIfDepth: top.elseIfDepth + 1 });
      } else if (rest.length > 0) {
        throw new GoTemplateError(`${where}: unexpected ${rest[0]} in else`);
      }
    } else if (keyword === 'end') {
      const top = stack.pop();
      if (top === undefined) {
        throw new GoTemplateError(`${where}: unexpected {{end}}`);
      }
      for (let d = top.elseIfDepth; d > 0; d--) {
        stack.pop();
      }
    } else if (['range', 'define', 'template', 'block', 'break', 'continue'].includes(keyword)) {
      throw new GoTemplateError(`${where}: {{${keyword}}} is not supported by this port`);
    } else {
      target().push({ kind: 'action', pipe: parsePipeline(tokens, where) });
    }
  }
  if (stack.length > 0) {
    throw new GoTemplateError(`template: ${name}: unexpected EOF`);
  }
  return root;
}

/** Go's `isTrue`: false, 0, nil and empty strings, lists and maps are false. */
function truth(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') {
    return false;
  }
  if (Array.isArray(value)) {
    return value.length > 0;
  }
  if (typeof value === 'object') {
    return Object.keys(value).length > 0;
  }
  return true;
}

/** `fmt.Sprint` of a value, as an action prints it. */
export function goPrint(value: unknown): string {
  if (value === undefined) {
    return '<no value>';
  }
  if (value === null) {
    return '<nil>';
  }
  if (Array.isArray(value)) {
    return `[${value.map(goPrint).join(' ')}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `map[${entries.map(([k, v]) => `${k}:${goPrint(v)}`).join(' ')}]`;
  }
  return String(value);
}

/** Go's encoding/json Marshal: sorted keys, and `<`, `>` and `&` escaped for HTML. */
export function goJson(value: unknown): string {
  const sortKeys = (v: unknown): unknown => {
    if (Array.isArray(v)) {
      return v.map(sortKeys);
    }
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, x]) => [k, sortKeys(x)]));
    }
    return v;
  };
  return (JSON.stringify(sortKeys(value)) ?? 'null').replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

/** The Go type of a JSON value, as error messages name it. */
function goTypeName(value: unknown): string {
  switch (typeof value) {
    case 'number':
      return Number.isInteger(value) ? 'int' : 'float64';
    case 'boolean':
      return 'bool';
    case 'string':
      return 'string';
    default:
      return Array.isArray(value) ? '[]interface {}' : value === null || value === undefined ? '<nil>' : 'map[string]interface {}';
  }
}

/** `basicKind` of funcs.go; nil and non-basic values (maps, slices) are both Go's `invalidKind`. */
function basicKind(value: unknown): 'bool' | 'number' | 'string' | 'invalid' {
  const t = typeof value;
  return t === 'boolean' ? 'bool' : t === 'number' ? 'number' : t === 'string' ? 'string' : 'invalid';
}

/** `eq` of funcs.go: true if the first argument equals any other; nil compares equal to nil only. */
function eq(first: unknown, others: readonly unknown[]): boolean {
  if (others.length === 0) {
    throw new Error('missing argument for comparison');
  }
  const isNil = (v: unknown) => v === undefined || v === null;
  const k1 = basicKind(first);
  return others.some((other) => {
    const k2 = basicKind(other);
    if (k1 !== k2) {
      if (!isNil(first) && !isNil(other)) {
        throw new Error('incompatible types for comparison');
      }
      return false;
    }
    if (k1 !== 'invalid') {
      return first === other;
    }
    if (isNil(first) || isNil(other)) {
      return isNil(first) === isNil(other);
    }
    // Two maps, two slices or one of each: Go cannot compare them.
    throw new Error(Array.isArray(first) === Array.isArray(other) ? `non-comparable type ${goTypeName(other)}` : 'non-comparable types');
  });
}

/** `lt` of funcs.go: numbers and strings only, of one kind. */
function lt(a: unknown, b: unknown): boolean {
  const [k1, k2] = [basicKind(a), basicKind(b)];
  if (k1 === 'invalid' || k2 === 'invalid') {
    throw new Error('invalid type for comparison');
  }
  if (k1 !== k2) {
    throw new Error('incompatible types for comparison');
  }
  if (k1 === 'bool') {
    throw new Error('invalid type for comparison');
  }
  return (a as number | string) < (b as number | string);
}

/** `index` of funcs.go over JSON values: a missing map key gives the zero value, nil. */
function index(item: unknown, indexes: readonly unknown[]): unknown {
  if (item === undefined || item === null) {
    throw new Error('index of untyped nil');
  }
  let current: unknown = item;
  for (const key of indexes) {
    if (current === undefined || current === null) {
      throw new Error('index of nil pointer');
    }
    if (Array.isArray(current) || typeof current === 'string') {
      const size = typeof current === 'string' ? Buffer.byteLength(current) : current.length;
      if (key === undefined || key === null) {
        throw new Error('cannot index slice/array with nil');
      }
      if (typeof key !== 'number' || !Number.isInteger(key)) {
        throw new Error(`cannot index slice/array with type ${goTypeName(key)}`);
      }
      if (key < 0 || key >= size) {
        throw new Error(`index out of range: ${key}`);
      }
      current = typeof current === 'string' ? Buffer.from(current)[key] : current[key];
    } else if (isMap(current)) {
      if (key === undefined || key === null) {
        throw new Error('value is nil; should be of type string');
      }
      if (typeof key !== 'string') {
        throw new Error(`value has type ${goTypeName(key)}; should be string`);
      }
      current = hasOwn(current, key) ? current[key] : null;
    } else {
      throw new Error(`can't index item of type ${goTypeName(current)}`);
    }
  }
  return current;
}

/** `length` of funcs.go. */
function length(item: unknown): number {
  if (item === null) {
    throw new Error('len of nil pointer');
  }
  if (item === undefined) {
    throw new Error('reflect: call of reflect.Value.Type on zero Value');
  }
  if (typeof item === 'string') {
    return Buffer.byteLength(item);
  }
  if (Array.isArray(item) || isMap(item)) {
    return Array.isArray(item) ? item.length : Object.keys(item).length;
  }
  throw new Error(`len of type ${goTypeName(item)}`);
}

/** `fmt.Sprint`: a space between operands when neither is a string; a nil argument prints `<nil>`. */
function sprint(args: readonly unknown[]): string {
  return args.map((a, n) => (n > 0 && typeof a !== 'string' && typeof args[n - 1] !== 'string' ? ' ' : '') + goPrint(a ?? null)).join('');
}

function callFunction(name: string, args: unknown[]): unknown {
  switch (name) {
    case 'eq':
      return eq(args[0], args.slice(1));
    case 'ne':
      return !eq(args[0], [args[1]]);
    case 'lt':
      return lt(args[0], args[1]);
    case 'le':
      return lt(args[0], args[1]) || eq(args[0], [args[1]]);
    case 'gt':
      return !(lt(args[0], args[1]) || eq(args[0], [args[1]]));
    case 'ge':
      return !lt(args[0], args[1]);
    case 'not':
      return !truth(args[0]);
    case 'len':
      return length(args[0]);
    case 'index':
      return index(args[0], args.slice(1));
    case 'print':
      return sprint(args);
    case 'printf': {
      let n = 1;
      return String(args[0]).replace(/%[svdq%]/g, (verb) => (verb === '%%' ? '%' : verb === '%q' ? JSON.stringify(args[n++]) : goPrint(args[n++] ?? null)));
    }
    case 'toJson':
      return goJson(args[0]);
    case 'default':
      return truth(args[args.length - 1]) ? args[args.length - 1] : args[0];
    case 'quote':
      return args.map((a) => JSON.stringify(a === undefined || a === null ? '' : goPrint(a))).join(' ');
    case 'lower':
      return String(args[0]).toLowerCase();
    case 'upper':
      return String(args[0]).toUpperCase();
    case 'trim':
      return String(args[0]).trim();
    case 'replace':
      return String(args[2]).split(String(args[0])).join(String(args[1]));
    case 'hasPrefix':
      return String(args[1]).startsWith(String(args[0]));
    case 'hasSuffix':
      return String(args[1]).endsWith(String(args[0]));
    case 'contains':
      return String(args[1]).includes(String(args[0]));
    default:
      throw new Error(`function "${name}" not defined`);
  }
}

/** Renders `template` with `data` (`Template.Execute`); throws Go's execution errors. */
export function renderGoTemplate(template: string, data: unknown, options: GoTemplateOptions = {}, name = 'base'): string {
  const nodes = parseGoTemplate(template, name);
  const missingKey = options.missingKey ?? 'default';
  // `Execute(w, nil)` runs with an invalid dot.
  const root = data === null ? undefined : data;
  /** `state.errorf` after `state.at(node)`: Go's location is `<name>:<line>:<byte column>`, the node's text cut at 20. */
  const fail = (node: Located, message: string): never => {
    const before = template.slice(0, node.pos);
    const line = before.split('\n').length;
    const column = Buffer.byteLength(before.slice(before.lastIndexOf('\n') + 1));
    const context = node.text.length > 20 ? `${node.text.slice(0, 20)}...` : node.text;
    throw new GoTemplateError(`template: ${name}:${line}:${column}: executing "${name}" at <${context}>: ${message}`);
  };
  /** `evalField`: one field of a chain; `inChain` when the receiver came out of a map (its static type is `interface {}`). */
  const evalField = (receiver: unknown, field: string, node: Located, hasArgs: boolean, inChain: boolean): unknown => {
    if (receiver === undefined) {
      if (missingKey === 'error') {
        fail(node, `nil data; no entry for key "${field}"`);
      }
      return undefined;
    }
    const type = inChain ? 'interface {}' : goTypeName(receiver);
    if (receiver === null) {
      fail(node, `nil pointer evaluating ${type}.${field}`);
    }
    if (isMap(receiver)) {
      if (hasArgs) {
        fail(node, `${field} is not a method but has arguments`);
      }
      if (hasOwn(receiver, field)) {
        return receiver[field];
      }
      if (missingKey === 'error') {
        fail(node, `map has no entry for key "${field}"`);
      }
      return missingKey === 'zero' ? null : undefined;
    }
    return fail(node, `can't evaluate field ${field} in type ${type}`);
  };
  const evalFieldChain = (receiver: unknown, node: Located, fields: readonly string[], hasArgs: boolean): unknown =>
    fields.reduce((r, field, n) => evalField(r, field, node, hasArgs && n === fields.length - 1, n > 0), receiver);
  /** The value of an operand used as an argument (`evalArg`). */
  const evalArg = (operand: Operand, dot: unknown): unknown => {
    switch (operand.kind) {
      case 'dot':
        return evalFieldChain(dot, operand, operand.fields, false);
      case 'var':
        if (operand.name !== '$') {
          return fail(operand, `undefined variable "${operand.name}"`);
        }
        return evalFieldChain(root, operand, operand.fields, false);
      case 'literal':
        return operand.value;
      case 'pipe':
        return evalFieldChain(evalPipeline(operand.pipe, dot), operand, operand.fields, false);
      case 'func':
        return evalFunction(operand, [], operand, dot, false, undefined);
    }
  };
  const evalFunction = (head: Operand & { kind: 'func' }, args: readonly Operand[], command: Located, dot: unknown,
    hasFinal: boolean, final: unknown): unknown => {
    const { min, variadic } = FUNCTIONS[head.name];
    const count = args.length + (hasFinal ? 1 : 0);
    if (variadic ? count < min : count !== min) {
      fail(head, variadic ? `wrong number of args for ${head.name}: want at least ${min} got ${args.length}`
        : `wrong number of args for ${head.name}: want ${min} got ${count}`);
    }
    if (head.name === 'and' || head.name === 'or') {
      // and/or evaluate their arguments in order and stop at the first that decides.
      let value: unknown;
      for (const arg of args) {
        value = evalArg(arg, dot) ?? undefined;
        if (truth(value) === (head.name === 'or')) {
          return value;
        }
      }
      return hasFinal ? final : value;
    }
    const values = [...args.map((a) => evalArg(a, dot)), ...(hasFinal ? [final] : [])];
    if (head.name === 'printf' && typeof values[0] !== 'string') {
      fail(command, values[0] === undefined || values[0] === null ? 'invalid value; expected string'
        : `wrong type for value; expected string; got ${goTypeName(values[0])}`);
    }
    try {
      return callFunction(head.name, values);
    } catch (e) {
      return fail(command, `error calling ${head.name}: ${(e as Error).message}`);
    }
  };
  /** `evalCommand`: a function call, or a value that takes no arguments. */
  const evalCommand = (command: Command, dot: unknown, hasFinal: boolean, final: unknown): unknown => {
    const [head, ...args] = command.operands;
    const hasArgs = args.length > 0 || hasFinal;
    if (head.kind === 'func') {
      return evalFunction(head, args, command, dot, hasFinal, final);
    }
    if (head.kind === 'var' && head.name !== '$') {
      return fail(head, `undefined variable "${head.name}"`);
    }
    if (head.kind !== 'literal' && head.fields.length > 0) {
      const receiver = head.kind === 'dot' ? dot : head.kind === 'var' ? root : evalPipeline(head.pipe, dot);
      return evalFieldChain(receiver, head, head.fields, hasArgs);
    }
    if (hasArgs) {
      fail(head, `can't give argument to non-function ${head.text}`);
    }
    if (head.kind === 'literal' && head.value === null) {
      fail(head, 'nil is not a command');
    }
    return head.kind === 'pipe' ? evalPipeline(head.pipe, dot) : evalArg(head, dot);
  };
  /** `evalPipeline`: each command gets the previous value as its last argument; a nil `interface{}` becomes invalid. */
  const evalPipeline = (pipe: Pipeline, dot: unknown): unknown => {
    let value: unknown;
    pipe.commands.forEach((command, n) => {
      value = evalCommand(command, dot, n > 0, value) ?? undefined;
    });
    return value;
  };
  const run = (list: readonly Node[], dot: unknown): string => list.map((node) => {
    switch (node.kind) {
      case 'text':
        return node.text;
      case 'action':
        return goPrint(evalPipeline(node.pipe, dot));
      case 'if': {
        return truth(evalPipeline(node.pipe, dot)) ? run(node.then, dot) : run(node.otherwise, dot);
      }
      case 'with': {
        const value = evalPipeline(node.pipe, dot);
        return truth(value) ? run(node.then, value) : run(node.otherwise, dot);
      }
    }
  }).join('');
  return run(nodes, root);
}
