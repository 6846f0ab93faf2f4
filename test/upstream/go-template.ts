/**
 * Go's `text/template`, as far as Argo CD's ApplicationSet controller uses it on what this library emits: a port of
 * the lexer, parser and executor of the Go standard library (`text/template/parse/lex.go`, `parse.go`,
 * `text/template/exec.go`, `funcs.go`; Go 1.25, which Argo CD v3.5.1 builds with), reduced to text, actions with trim
 * markers, comments, pipelines of fields, variables `$`, literals and function calls, parenthesised pipelines, and
 * `if` / `else` / `else if` / `with` / `end`. The functions are Go's builtins the library could reach (`eq`, `ne`,
 * `lt`, `le`, `gt`, `ge`, `not`, `and`, `or`, `len`, `index`, `print`, `printf`) and the Sprig functions Argo CD adds
 * that it could (`toJson`, `default`, `quote`, `lower`, `upper`, `trim`, `replace`, `hasPrefix`, `hasSuffix`,
 * `contains`; Masterminds/sprig v3). Anything else (`range`, `define`, `template`, `block`, variable declarations, other
 * functions) is refused with an error rather than rendered wrongly.
 *
 * `missingkey=error` (what the library sets) makes a missing map key an error, as `Option("missingkey=error")` does.
 */

/** Options as Argo CD passes `goTemplateOptions`. */
export interface GoTemplateOptions {
  readonly missingKey?: 'default' | 'zero' | 'error';
}

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'action'; pipe: Pipeline }
  | { kind: 'if' | 'with'; pipe: Pipeline; then: Node[]; otherwise: Node[] };

interface Pipeline { readonly commands: Command[] }
type Command = readonly Operand[];
type Operand =
  | { kind: 'dot'; fields: string[] }
  | { kind: 'var'; name: string; fields: string[] }
  | { kind: 'literal'; value: unknown }
  | { kind: 'func'; name: string }
  | { kind: 'pipe'; pipe: Pipeline; fields: string[] };

/** An error as Go prints it: `template: <name>:<line>: <message>`. */
export class GoTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GoTemplateError';
  }
}

const FUNCTIONS = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'not', 'and', 'or', 'len', 'index', 'print', 'printf',
  'toJson', 'default', 'quote', 'lower', 'upper', 'trim', 'replace', 'hasPrefix', 'hasSuffix', 'contains']);

const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r' || c === '\n';

/** Splits a template into text and the inside of each action, applying trim markers (`lex.go`). */
function lex(template: string, name: string): Array<{ text: string } | { action: string; line: number }> {
  const items: Array<{ text: string } | { action: string; line: number }> = [];
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
    const line = template.slice(0, open).split('\n').length;
    // Find the closing delimiter, skipping quoted strings.
    let i = inner;
    let quote: string | undefined;
    while (i < template.length) {
      const c = template[i];
      if (quote !== undefined) {
        if (c === '\\' && quote !== '`') {
          i += 2;
          continue;
        }
        if (c === quote) {
          quote = undefined;
        }
      } else if (c === '"' || c === '`' || c === '\'') {
        quote = c;
      } else if (template.startsWith('}}', i)) {
        break;
      }
      i++;
    }
    if (i >= template.length) {
      throw new GoTemplateError(`template: ${name}:${line}: unclosed action`);
    }
    let body = template.slice(inner, i);
    if (body.length >= 2 && body.endsWith('-') && isSpace(body[body.length - 2])) {
      body = body.slice(0, -2);
      trimNext = true;
    }
    const trimmed = body.trim();
    if (!(trimmed.startsWith('/*') && trimmed.endsWith('*/'))) {
      items.push({ action: body, line });
    }
    pos = i + 2;
  }
  return items;
}

/** Tokens of one action. */
function tokenize(action: string, where: string): string[] {
  const tokens: string[] = [];
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
      tokens.push(action.slice(i, j + 1));
      i = j + 1;
    } else if (c === '(' || c === ')' || c === '|') {
      tokens.push(c);
      i++;
    } else if (action.startsWith(':=', i) || c === '=') {
      throw new GoTemplateError(`${where}: variable declarations are not supported by this port`);
    } else {
      let j = i;
      while (j < action.length && !isSpace(action[j]) && !'()|'.includes(action[j])) {
        j++;
      }
      tokens.push(action.slice(i, j));
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

function parsePipeline(tokens: string[], where: string): Pipeline {
  let i = 0;
  const parseOperand = (): Operand => {
    const token = tokens[i++];
    const chain = (rest: string) => rest.split('.').filter((f) => f !== '');
    if (token === '(') {
      const depthStart = i;
      let depth = 1;
      while (i < tokens.length && depth > 0) {
        depth += tokens[i] === '(' ? 1 : tokens[i] === ')' ? -1 : 0;
        i++;
      }
      if (depth !== 0) {
        throw new GoTemplateError(`${where}: unclosed left paren`);
      }
      return { kind: 'pipe', pipe: parsePipeline(tokens.slice(depthStart, i - 1), where), fields: [] };
    }
    if (token === '.') {
      return { kind: 'dot', fields: [] };
    }
    if (token.startsWith('.')) {
      return { kind: 'dot', fields: chain(token) };
    }
    if (token.startsWith('$')) {
      const [name, ...fields] = token.split('.');
      return { kind: 'var', name, fields };
    }
    if (token.startsWith('"') || token.startsWith('`') || token.startsWith('\'')) {
      return { kind: 'literal', value: unquote(token, where) };
    }
    if (token === 'true' || token === 'false') {
      return { kind: 'literal', value: token === 'true' };
    }
    if (token === 'nil') {
      return { kind: 'literal', value: null };
    }
    if (/^[+-]?\d+(\.\d+)?$/.test(token)) {
      return { kind: 'literal', value: Number(token) };
    }
    if (/^[A-Za-z_]\w*$/.test(token)) {
      if (!FUNCTIONS.has(token)) {
        throw new GoTemplateError(`${where}: function "${token}" not defined`);
      }
      return { kind: 'func', name: token };
    }
    throw new GoTemplateError(`${where}: unexpected "${token}" in command`);
  };
  const commands: Command[] = [];
  let current: Operand[] = [];
  while (i < tokens.length) {
    if (tokens[i] === '|') {
      if (current.length === 0) {
        throw new GoTemplateError(`${where}: missing command`);
      }
      commands.push(current);
      current = [];
      i++;
      continue;
    }
    if (tokens[i] === ')') {
      throw new GoTemplateError(`${where}: unexpected right paren`);
    }
    current.push(parseOperand());
  }
  if (current.length === 0) {
    throw new GoTemplateError(`${where}: missing value for command`);
  }
  commands.push(current);
  return { commands };
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
    const tokens = tokenize(item.action, where);
    const [keyword, ...rest] = tokens;
    if (keyword === 'if' || keyword === 'with') {
      const node = { kind: keyword, pipe: parsePipeline(rest, where), then: [], otherwise: [] } as Extract<Node, { kind: 'if' | 'with' }>;
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
        const node = { kind: rest[0], pipe: parsePipeline(rest.slice(1), where), then: [], otherwise: [] } as Extract<Node, { kind: 'if' | 'with' }>;
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

/** Go's `truth`: false, 0, nil and empty strings, lists and maps are false. */
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

/** Go's `encoding/json` Marshal: sorted keys, and `<`, `>` and `&` escaped for HTML. */
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

function compare(a: unknown, b: unknown, name: string): number {
  if (typeof a !== typeof b || (typeof a !== 'number' && typeof a !== 'string')) {
    throw new GoTemplateError(`error calling ${name}: incompatible types for comparison`);
  }
  const [x, y] = [a, b as typeof a];
  return x < y ? -1 : x > y ? 1 : 0;
}

function callFunction(name: string, args: unknown[]): unknown {
  switch (name) {
    case 'eq':
      return args.slice(1).some((other) => other === args[0]);
    case 'ne':
      return args[0] !== args[1];
    case 'lt':
      return compare(args[0], args[1], name) < 0;
    case 'le':
      return compare(args[0], args[1], name) <= 0;
    case 'gt':
      return compare(args[0], args[1], name) > 0;
    case 'ge':
      return compare(args[0], args[1], name) >= 0;
    case 'not':
      return !truth(args[0]);
    case 'and':
      return args.find((a) => !truth(a)) ?? args[args.length - 1];
    case 'or':
      return args.find((a) => truth(a)) ?? args[args.length - 1];
    case 'len':
      return typeof args[0] === 'string' || Array.isArray(args[0]) ? (args[0] as { length: number }).length : Object.keys(args[0] as object).length;
    case 'index':
      return args.slice(1).reduce((node, key) => (node as Record<string, unknown>)?.[String(key)], args[0]);
    case 'print':
      return args.map(goPrint).join('');
    case 'printf': {
      let n = 1;
      return String(args[0]).replace(/%[svdq%]/g, (verb) => (verb === '%%' ? '%' : verb === '%q' ? JSON.stringify(args[n++]) : goPrint(args[n++])));
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
      throw new GoTemplateError(`function "${name}" not defined`);
  }
}

/** Renders `template` with `data` (`Template.Execute`); throws Go's execution errors. */
export function renderGoTemplate(template: string, data: unknown, options: GoTemplateOptions = {}, name = 'base'): string {
  const nodes = parseGoTemplate(template, name);
  const missingKey = options.missingKey ?? 'default';
  const field = (value: unknown, fields: readonly string[]): unknown => fields.reduce<unknown>((node, key) => {
    if (node !== null && typeof node === 'object' && !Array.isArray(node)) {
      if (key in (node as Record<string, unknown>)) {
        return (node as Record<string, unknown>)[key];
      }
      if (missingKey === 'error') {
        throw new GoTemplateError(`template: ${name}: executing "${name}" at <.${fields.join('.')}>: map has no entry for key "${key}"`);
      }
      return undefined;
    }
    if (node === undefined || node === null) {
      throw new GoTemplateError(`template: ${name}: executing "${name}" at <.${fields.join('.')}>: nil pointer evaluating interface {}.${key}`);
    }
    throw new GoTemplateError(`template: ${name}: executing "${name}" at <.${fields.join('.')}>: can't evaluate field ${key} in type ${typeof node}`);
  }, value);
  const evalPipeline = (pipe: Pipeline, dot: unknown): unknown => {
    let previous: unknown;
    pipe.commands.forEach((command, n) => {
      const [head, ...args] = command;
      const value = (operand: Operand): unknown => {
        switch (operand.kind) {
          case 'dot':
            return field(dot, operand.fields);
          case 'var':
            if (operand.name !== '$') {
              throw new GoTemplateError(`template: ${name}: undefined variable "${operand.name}"`);
            }
            return field(data, operand.fields);
          case 'literal':
            return operand.value;
          case 'pipe':
            return field(evalPipeline(operand.pipe, dot), operand.fields);
          case 'func':
            return callFunction(operand.name, []);
        }
      };
      if (head.kind === 'func') {
        const values = args.map(value);
        previous = callFunction(head.name, n > 0 ? [...values, previous] : values);
      } else {
        if (args.length > 0 || n > 0) {
          throw new GoTemplateError(`template: ${name}: can't give argument to non-function`);
        }
        previous = value(head);
      }
    });
    return previous;
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
  return run(nodes, data);
}
