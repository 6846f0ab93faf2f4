/**
 * Ports of upstream tables run against ./go-template.ts:
 *
 * 1. golang/go `src/text/template/exec_test.go` (the Go 1.24/1.25 file, with its `iter.Seq` range cases; read through
 *    the code index, since the repository is too large to fetch here, so no tag is pinned: every case ported below has
 *    had the same input and expectation since Go 1.18). Ported:
 *    - TestExecute (`execTests`): every case whose template uses only what the port implements and whose data is JSON;
 *      `tVal` is given as the JSON object of the fields those cases read (a struct field and a map key read alike).
 *      Upstream compares the output also after an error; the port writes nothing when it throws, and every failing
 *      case ported here expects "" from upstream, so a failing case asserts the throw only;
 *    - TestComparison (`cmpTests`) on `cmpStruct`'s numbers (uint and int alike, as JSON has one number type) and its
 *      non-nil map;
 *    - TestMissingMapKey (but the `missingkey=zero` step, whose `0` is the zero of a `map[string]int`; a JSON map's zero
 *      is nil), TestInterfaceValues (its data is a `map[string]any`; the `call` cases are left out), TestDelims (the
 *      default delimiter pairs), TestExecuteGivesExecError (the ExecError half), TestUnterminatedStringError,
 *      TestFinalForPrintf, TestIssue31810 (the `(.)` step).
 *    Left out: execTests on methods, pointers, `call`, structs printed whole, typed maps (int keys, `map[NO]` and
 *    `map[` + "``" + `]` reading a `map[string]int`'s zero), variables (`$x :=`), `range`, `break`, `continue`,
 *    `slice`, `html`, `js`, `urlquery`, `println`, test functions (`add`, `die`, `typeOf`, `echo`, `makemap`,
 *    `mapOfThree`, `oneArg`, `twoArgs`, `dddArg`, `vfunc`, `valueString`, `returnInt`, `zeroArgs`, `count`, `stringer`),
 *    complex and character constants, numbers written other than as decimals (`0x1f`, `1_000`, `1e1`), `printf` verbs
 *    other than `%s %v %d %q` (`%04x`, `%g`, `%T`); cmpTests on complex numbers, characters, pointers, interfaces,
 *    structs, typed nil maps and "eq 2 2.0" (int against float64: the port has one number kind); TestEvalFieldErrors
 *    (typed nil pointers), TestExecError and TestTree (`template`/`define`), TestExecutePanicDuringCall and
 *    TestFunctionCheckDuringCall (`call`, methods), TestBlock, TestMessageForExecuteEmpty, TestIsTrue (Go types).
 *
 * 2. argoproj/argo-cd v3.5.1, `applicationset/utils/utils_test.go`, TestRenderTemplateParamsGoTemplate
 *    (./go-template.argocd-cases.ts lists the cases and those left out): here the template alone, each rendered with
 *    its parameters and options as `Render.Replace` runs it; an expected error is upstream's message less the
 *    `failed to parse template <t>: ` / `failed to execute go template <t>: ` that `Replace` puts before Go's. "Test No
 *    Data" is `RenderTemplateParams`' early return for empty parameters, not the template's: it is ported in
 *    ./argocd-applicationset.test.ts, with the whole table over the Application's fields.
 */
import { GoTemplateError, renderGoTemplate } from './go-template';
import { RENDER_TEMPLATE_PARAMS_GO_TEMPLATE } from './go-template.argocd-cases';

/** `tVal` of exec_test.go: the fields the ported cases read. */
const tVal = {
  True: true,
  I: 17,
  U16: 16,
  X: 'x',
  S: 'xyz',
  FloatZero: 0,
  U: { V: 'v' },
  SI: [3, 4, 5],
  SIEmpty: [],
  SB: [true, false],
  AI: [3, 4, 5],
  MSI: { one: 1, two: 2, three: 3 },
  MSIone: { one: 1 },
  MSIEmpty: {},
  MXI: { one: 1 },
  SMSI: [{ one: 1, two: 2 }, { eleven: 11, twelve: 12 }],
  Empty0: null,
  Empty1: 3,
  Empty2: 'empty2',
  Empty3: [7, 8],
  Empty4: { V: 'UinEmpty' },
};

type ExecTest = [name: string, input: string, output: string, data: unknown, ok: boolean];

const execTests: ExecTest[] = [
  // Trivial cases.
  ['empty', '', '', null, true],
  ['text', 'some text', 'some text', null, true],
  ['nil action', '{{nil}}', '', null, false],
  ['ideal nil without type', '{{nil}}', '', 0, false],
  // Fields of structs.
  ['.X', '-{{.X}}-', '-x-', tVal, true],
  ['.U.V', '-{{.U.V}}-', '-v-', tVal, true],
  // Fields on maps.
  ['map .one', '{{.MSI.one}}', '1', tVal, true],
  ['map .two', '{{.MSI.two}}', '2', tVal, true],
  ['map .NO', '{{.MSI.NO}}', '<no value>', tVal, true],
  ['map .one interface', '{{.MXI.one}}', '1', tVal, true],
  ['map .WRONG args', '{{.MSI.one 1}}', '', tVal, false],
  // Dots of all kinds to test basic evaluation.
  ['dot int', '<{{.}}>', '<13>', 13, true],
  ['dot float', '<{{.}}>', '<15.1>', 15.1, true],
  ['dot bool', '<{{.}}>', '<true>', true, true],
  ['dot string', '<{{.}}>', '<hello>', 'hello', true],
  ['dot slice', '<{{.}}>', '<[-1 -2 -3]>', [-1, -2, -3], true],
  ['dot map', '<{{.}}>', '<map[two:22]>', { two: 22 }, true],
  // Variables.
  ['$ int', '{{$}}', '123', 123, true],
  ['$.I', '{{$.I}}', '17', tVal, true],
  ['$.U.V', '{{$.U.V}}', 'v', tVal, true],
  // Empty interfaces holding values.
  ['empty nil', '{{.Empty0}}', '<no value>', tVal, true],
  ['empty with int', '{{.Empty1}}', '3', tVal, true],
  ['empty with string', '{{.Empty2}}', 'empty2', tVal, true],
  ['empty with slice', '{{.Empty3}}', '[7 8]', tVal, true],
  ['empty with struct, field', '{{.Empty4.V}}', 'UinEmpty', tVal, true],
  // Edge cases with <no value> with an interface value.
  ['field on interface', '{{.foo}}', '<no value>', null, true],
  ['field on parenthesized interface', '{{(.).foo}}', '<no value>', null, true],
  // Issue 31810: Parenthesized first element of pipeline with arguments.
  ['unparenthesized non-function', '{{1 2}}', '', null, false],
  ['parenthesized non-function', '{{(1) 2}}', '', null, false],
  ['parenthesized non-function with no args', '{{(1)}}', '1', null, true],
  // Parenthesized expressions with field accesses.
  ['parens: $ in paren', '{{($).X}}', 'x', tVal, true],
  // If.
  ['if true', '{{if true}}TRUE{{end}}', 'TRUE', tVal, true],
  ['if false', '{{if false}}TRUE{{else}}FALSE{{end}}', 'FALSE', tVal, true],
  ['if nil', '{{if nil}}TRUE{{end}}', '', tVal, false],
  ['if 1', '{{if 1}}NON-ZERO{{else}}ZERO{{end}}', 'NON-ZERO', tVal, true],
  ['if 0', '{{if 0}}NON-ZERO{{else}}ZERO{{end}}', 'ZERO', tVal, true],
  ['if 1.5', '{{if 1.5}}NON-ZERO{{else}}ZERO{{end}}', 'NON-ZERO', tVal, true],
  ['if 0.0', '{{if .FloatZero}}NON-ZERO{{else}}ZERO{{end}}', 'ZERO', tVal, true],
  ['if emptystring', '{{if ``}}NON-EMPTY{{else}}EMPTY{{end}}', 'EMPTY', tVal, true],
  ['if string', '{{if `notempty`}}NON-EMPTY{{else}}EMPTY{{end}}', 'NON-EMPTY', tVal, true],
  ['if emptyslice', '{{if .SIEmpty}}NON-EMPTY{{else}}EMPTY{{end}}', 'EMPTY', tVal, true],
  ['if slice', '{{if .SI}}NON-EMPTY{{else}}EMPTY{{end}}', 'NON-EMPTY', tVal, true],
  ['if emptymap', '{{if .MSIEmpty}}NON-EMPTY{{else}}EMPTY{{end}}', 'EMPTY', tVal, true],
  ['if map', '{{if .MSI}}NON-EMPTY{{else}}EMPTY{{end}}', 'NON-EMPTY', tVal, true],
  ['if map unset', '{{if .MXI.none}}NON-ZERO{{else}}ZERO{{end}}', 'ZERO', tVal, true],
  ['if map not unset', '{{if not .MXI.none}}ZERO{{else}}NON-ZERO{{end}}', 'ZERO', tVal, true],
  ['if else if', '{{if false}}FALSE{{else if true}}TRUE{{end}}', 'TRUE', tVal, true],
  ['if else chain', '{{if eq 1 3}}1{{else if eq 2 3}}2{{else if eq 3 3}}3{{end}}', '3', tVal, true],
  // Print etc.
  ['print', '{{print "hello, print"}}', 'hello, print', tVal, true],
  ['print 123', '{{print 1 2 3}}', '1 2 3', tVal, true],
  ['print nil', '{{print nil}}', '<nil>', tVal, true],
  ['printf string', '{{printf "%s" "hello"}}', 'hello', tVal, true],
  ['printf field', '{{printf "%s" .U.V}}', 'v', tVal, true],
  ['printf dot', '{{with .I}}{{printf "%d" .}}{{end}}', '17', tVal, true],
  // Booleans.
  ['not', '{{not true}} {{not false}}', 'false true', null, true],
  ['and', '{{and false 0}} {{and 1 0}} {{and 0 true}} {{and 1 1}}', 'false 0 0 1', null, true],
  ['or', '{{or 0 0}} {{or 1 0}} {{or 0 true}} {{or 1 1}}', '0 1 true 1', null, true],
  ['and pipe-true', '{{1 | and 1}}', '1', null, true],
  ['and pipe-false', '{{0 | and 1}}', '0', null, true],
  ['or pipe-true', '{{1 | or 0}}', '1', null, true],
  ['or pipe-false', '{{0 | or 0}}', '0', null, true],
  ['and undef', '{{and 1 .Unknown}}', '<no value>', null, true],
  ['or undef', '{{or 0 .Unknown}}', '<no value>', null, true],
  ['boolean if', '{{if and true 1 `hi`}}TRUE{{else}}FALSE{{end}}', 'TRUE', tVal, true],
  ['boolean if not', '{{if and true 1 `hi` | not}}TRUE{{else}}FALSE{{end}}', 'FALSE', null, true],
  ['boolean if pipe', '{{if true | not | and 1}}TRUE{{else}}FALSE{{end}}', 'FALSE', null, true],
  // Indexing.
  ['slice[0]', '{{index .SI 0}}', '3', tVal, true],
  ['slice[1]', '{{index .SI 1}}', '4', tVal, true],
  ['slice[HUGE]', '{{index .SI 10}}', '', tVal, false],
  ['slice[WRONG]', '{{index .SI `hello`}}', '', tVal, false],
  ['slice[nil]', '{{index .SI nil}}', '', tVal, false],
  ['map[one]', '{{index .MSI `one`}}', '1', tVal, true],
  ['map[two]', '{{index .MSI `two`}}', '2', tVal, true],
  ['map[nil]', '{{index .MSI nil}}', '', tVal, false],
  ['map[WRONG]', '{{index .MSI 10}}', '', tVal, false],
  ['double index', '{{index .SMSI 1 `eleven`}}', '11', tVal, true],
  ['nil[1]', '{{index nil 1}}', '', tVal, false],
  ['index of an interface field', '{{index .Empty3 0}}', '7', tVal, true],
  // Len.
  ['slice', '{{len .SI}}', '3', tVal, true],
  ['map', '{{len .MSI }}', '3', tVal, true],
  ['len of int', '{{len 3}}', '', tVal, false],
  ['len of nothing', '{{len .Empty0}}', '', tVal, false],
  ['len of an interface field', '{{len .Empty3}}', '2', tVal, true],
  // With.
  ['with true', '{{with true}}{{.}}{{end}}', 'true', tVal, true],
  ['with false', '{{with false}}{{.}}{{else}}FALSE{{end}}', 'FALSE', tVal, true],
  ['with 1', '{{with 1}}{{.}}{{else}}ZERO{{end}}', '1', tVal, true],
  ['with 0', '{{with 0}}{{.}}{{else}}ZERO{{end}}', 'ZERO', tVal, true],
  ['with 1.5', '{{with 1.5}}{{.}}{{else}}ZERO{{end}}', '1.5', tVal, true],
  ['with 0.0', '{{with .FloatZero}}{{.}}{{else}}ZERO{{end}}', 'ZERO', tVal, true],
  ['with emptystring', '{{with ``}}{{.}}{{else}}EMPTY{{end}}', 'EMPTY', tVal, true],
  ['with string', '{{with `notempty`}}{{.}}{{else}}EMPTY{{end}}', 'notempty', tVal, true],
  ['with emptyslice', '{{with .SIEmpty}}{{.}}{{else}}EMPTY{{end}}', 'EMPTY', tVal, true],
  ['with slice', '{{with .SI}}{{.}}{{else}}EMPTY{{end}}', '[3 4 5]', tVal, true],
  ['with emptymap', '{{with .MSIEmpty}}{{.}}{{else}}EMPTY{{end}}', 'EMPTY', tVal, true],
  ['with map', '{{with .MSIone}}{{.}}{{else}}EMPTY{{end}}', 'map[one:1]', tVal, true],
  ['with empty interface, struct field', '{{with .Empty4}}{{.V}}{{end}}', 'UinEmpty', tVal, true],
  ['with else with', '{{with 0}}{{.}}{{else with true}}{{.}}{{end}}', 'true', tVal, true],
  ['with else with chain', '{{with 0}}{{.}}{{else with false}}{{.}}{{else with `notempty`}}{{.}}{{end}}', 'notempty', tVal, true],
  // Cute examples.
  ['or as if true', '{{or .SI "slice is empty"}}', '[3 4 5]', tVal, true],
  ['or as if false', '{{or .SIEmpty "slice is empty"}}', 'slice is empty', tVal, true],
  // Numbers.
  ['decimal', '{{print 1234}}', '1234', tVal, true],
  ['float', '{{print 123.4}}', '123.4', tVal, true],
  // Fixed bugs.
  ['bug4', '{{if .Empty0}}non-nil{{else}}nil{{end}}', 'nil', tVal, true],
  ['bug9', '{{.cause}}', 'neglect', { cause: 'neglect' }, true],
  ['bug14a', '{{(nil).True}}', '', tVal, false],
  ['bug16a', '{{true|printf}}', '', tVal, false],
  ['bug16b', '{{1|printf}}', '', tVal, false],
  ['bug16c', '{{1.1|printf}}', '', tVal, false],
  ['bug16k', '{{"aaa"|printf }}', 'aaa', tVal, true],
];

describe('golang/go text/template exec_test.go', () => {
  test.each(execTests)('TestExecute %s', (name, input, output, data, ok) => {
    const execute = () => renderGoTemplate(input, data, {}, name);
    if (ok) {
      expect(execute()).toBe(output);
    } else {
      expect(execute).toThrow(GoTemplateError);
    }
  });

  const cmpStruct = { Uthree: 3, Ufour: 4, NegOne: -1, Three: 3, NonNilMap: {} };
  const cmpTests: Array<[expr: string, truth: string, ok: boolean]> = [
    ['eq true true', 'true', true], ['eq true false', 'false', true], ['eq 1.5 1.5', 'true', true], ['eq 1.5 2.5', 'false', true],
    ['eq 1 1', 'true', true], ['eq 1 2', 'false', true], ['eq `xy` `xy`', 'true', true], ['eq `xy` `xyz`', 'false', true],
    ['eq .Uthree .Uthree', 'true', true], ['eq .Uthree .Ufour', 'false', true], ['eq 3 4 5 6 3', 'true', true],
    ['eq 3 4 5 6 7', 'false', true], ['ne true true', 'false', true], ['ne true false', 'true', true], ['ne 1.5 1.5', 'false', true],
    ['ne 1.5 2.5', 'true', true], ['ne 1 1', 'false', true], ['ne 1 2', 'true', true], ['ne `xy` `xy`', 'false', true],
    ['ne `xy` `xyz`', 'true', true], ['ne .Uthree .Uthree', 'false', true], ['ne .Uthree .Ufour', 'true', true],
    ['lt 1.5 1.5', 'false', true], ['lt 1.5 2.5', 'true', true], ['lt 1 1', 'false', true], ['lt 1 2', 'true', true],
    ['lt `xy` `xy`', 'false', true], ['lt `xy` `xyz`', 'true', true], ['lt .Uthree .Uthree', 'false', true],
    ['lt .Uthree .Ufour', 'true', true], ['le 1.5 1.5', 'true', true], ['le 1.5 2.5', 'true', true], ['le 2.5 1.5', 'false', true],
    ['le 1 1', 'true', true], ['le 1 2', 'true', true], ['le 2 1', 'false', true], ['le `xy` `xy`', 'true', true],
    ['le `xy` `xyz`', 'true', true], ['le `xyz` `xy`', 'false', true], ['le .Uthree .Uthree', 'true', true],
    ['le .Uthree .Ufour', 'true', true], ['le .Ufour .Uthree', 'false', true], ['gt 1.5 1.5', 'false', true],
    ['gt 1.5 2.5', 'false', true], ['gt 1 1', 'false', true], ['gt 2 1', 'true', true], ['gt 1 2', 'false', true],
    ['gt `xy` `xy`', 'false', true], ['gt `xy` `xyz`', 'false', true], ['gt .Uthree .Uthree', 'false', true],
    ['gt .Uthree .Ufour', 'false', true], ['gt .Ufour .Uthree', 'true', true], ['ge 1.5 1.5', 'true', true],
    ['ge 1.5 2.5', 'false', true], ['ge 2.5 1.5', 'true', true], ['ge 1 1', 'true', true], ['ge 1 2', 'false', true],
    ['ge 2 1', 'true', true], ['ge `xy` `xy`', 'true', true], ['ge `xy` `xyz`', 'false', true], ['ge `xyz` `xy`', 'true', true],
    ['ge .Uthree .Uthree', 'true', true], ['ge .Uthree .Ufour', 'false', true], ['ge .Ufour .Uthree', 'true', true],
    // Mixing signed and unsigned integers.
    ['eq .Uthree .Three', 'true', true], ['eq .Three .Uthree', 'true', true], ['le .Uthree .Three', 'true', true],
    ['le .Three .Uthree', 'true', true], ['ge .Uthree .Three', 'true', true], ['ge .Three .Uthree', 'true', true],
    ['lt .Uthree .Three', 'false', true], ['lt .Three .Uthree', 'false', true], ['gt .Uthree .Three', 'false', true],
    ['gt .Three .Uthree', 'false', true], ['eq .Ufour .Three', 'false', true], ['lt .Ufour .Three', 'false', true],
    ['gt .Ufour .Three', 'true', true], ['eq .NegOne .Uthree', 'false', true], ['eq .Uthree .NegOne', 'false', true],
    ['ne .NegOne .Uthree', 'true', true], ['ne .Uthree .NegOne', 'true', true], ['lt .NegOne .Uthree', 'true', true],
    ['lt .Uthree .NegOne', 'false', true], ['le .NegOne .Uthree', 'true', true], ['le .Uthree .NegOne', 'false', true],
    ['gt .NegOne .Uthree', 'false', true], ['gt .Uthree .NegOne', 'true', true], ['ge .NegOne .Uthree', 'false', true],
    ['ge .Uthree .NegOne', 'true', true],
    // Errors.
    ['eq `xy` 1', '', false], ['lt true true', '', false], ['eq .NonNilMap .NonNilMap', '', false],
  ];
  test.each(cmpTests)('TestComparison %s', (expr, truth, ok) => {
    const execute = () => renderGoTemplate(`{{if ${expr}}}true{{else}}false{{end}}`, cmpStruct, {}, 'empty');
    if (ok) {
      expect(execute()).toBe(truth);
    } else {
      expect(execute).toThrow(GoTemplateError);
    }
  });

  test('TestMissingMapKey', () => {
    const data = { x: 99 };
    // By default, just get "<no value>"; same if we set the option explicitly to the default.
    expect(renderGoTemplate('{{.x}} {{.y}}', data, {}, 't1')).toBe('99 <no value>');
    expect(renderGoTemplate('{{.x}} {{.y}}', data, { missingKey: 'default' }, 't1')).toBe('99 <no value>');
    // Now we ask for an error; same Option, but now a nil interface: ask for an error.
    expect(() => renderGoTemplate('{{.x}} {{.y}}', data, { missingKey: 'error' }, 't1')).toThrow(GoTemplateError);
    expect(() => renderGoTemplate('{{.x}} {{.y}}', null, { missingKey: 'error' }, 't1')).toThrow(GoTemplateError);
  });

  const interfaceValues = { Slice: [0, 1, 2, 3], One: 1, Two: 2, Nil: null, Zero: 0 };
  test.each([
    ['{{index .Nil 1}}', 'ERROR: index of untyped nil'], ['{{index .Slice 2}}', '2'], ['{{index .Slice .Two}}', '2'],
    ['{{and (index .Slice 0) true}}', '0'], ['{{and .Zero true}}', '0'], ['{{and (index .Slice 1) false}}', 'false'],
    ['{{and .One false}}', 'false'], ['{{or (index .Slice 0) false}}', 'false'], ['{{or .Zero false}}', 'false'],
    ['{{or (index .Slice 1) true}}', '1'], ['{{or .One true}}', '1'], ['{{not (index .Slice 0)}}', 'true'], ['{{not .Zero}}', 'true'],
    ['{{not (index .Slice 1)}}', 'false'], ['{{not .One}}', 'false'], ['{{eq (index .Slice 0) .Zero}}', 'true'],
    ['{{eq (index .Slice 1) .One}}', 'true'], ['{{ne (index .Slice 0) .Zero}}', 'false'], ['{{ne (index .Slice 1) .One}}', 'false'],
    ['{{ge (index .Slice 0) .One}}', 'false'], ['{{ge (index .Slice 1) .Zero}}', 'true'], ['{{gt (index .Slice 0) .One}}', 'false'],
    ['{{gt (index .Slice 1) .Zero}}', 'true'], ['{{le (index .Slice 0) .One}}', 'true'], ['{{le (index .Slice 1) .Zero}}', 'false'],
    ['{{lt (index .Slice 0) .One}}', 'true'], ['{{lt (index .Slice 1) .Zero}}', 'false'],
  ])('TestInterfaceValues %s', (text, out) => {
    const execute = () => renderGoTemplate(text, interfaceValues, {}, 'tmpl');
    if (out.startsWith('ERROR:')) {
      expect(execute).toThrow(out.slice('ERROR:'.length).trim());
    } else {
      expect(execute()).toBe(out);
    }
  });

  test('TestDelims (default delimiters)', () => {
    // At this point text looks like `{{.Str}}{{/*comment*/}}{{"{{"}}`.
    expect(renderGoTemplate('{{.Str}}{{/*comment*/}}{{"{{"}}', { Str: 'Hello, world' }, {}, 'delims')).toBe('Hello, world{{');
  });

  test('TestExecuteGivesExecError', () => {
    expect(() => renderGoTemplate('hello, {{.X.Y}}', 0, {}, 'X')).toThrow('field X in type int');
  });

  test('TestUnterminatedStringError', () => {
    expect(() => renderGoTemplate('hello\n\n{{`unterminated\n\n\n\n}}\n some more\n\n', null, {}, 'X')).toThrow('X:3: unterminated raw quoted string');
  });

  test('TestFinalForPrintf', () => {
    expect(() => renderGoTemplate('{{"x" | printf}}', 0, {}, '')).not.toThrow();
  });

  test('TestIssue31810 (a simple value with no arguments is fine)', () => {
    expect(renderGoTemplate('{{ (.)  }}', 'result', {}, '')).toBe('result');
  });
});

describe('argoproj/argo-cd v3.5.1 applicationset/utils/utils_test.go TestRenderTemplateParamsGoTemplate (the template alone)', () => {
  const cases = RENDER_TEMPLATE_PARAMS_GO_TEMPLATE.filter((c) => Object.keys(c.params).length > 0);
  test.each(cases)('$name', ({ fieldVal, params, expectedVal, errorMessage, templateOptions }) => {
    const missingKey = templateOptions?.includes('missingkey=error') ? 'error' : 'default';
    const render = () => renderGoTemplate(fieldVal, params, { missingKey });
    if (errorMessage === undefined) {
      expect(render()).toBe(expectedVal);
      return;
    }
    const prefix = [`failed to parse template ${fieldVal}: `, `failed to execute go template ${fieldVal}: `].find((p) => errorMessage.startsWith(p));
    expect(prefix).toBeDefined();
    expect(render).toThrow(new GoTemplateError(errorMessage.slice(prefix!.length)));
  });
});
