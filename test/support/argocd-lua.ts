/**
 * Argo CD v3.5.1's way of running a resource health check written in Lua (argoproj/argo-cd v3.5.1 `util/lua/lua.go`
 * `runLuaWithResourceActionParameters` + `ExecuteHealthLua`), in fengari 0.1.5 (Lua 5.3 in JavaScript; Argo CD's
 * gopher-lua is Lua 5.1, which no npm package runs): a state with only the `package`, base, `table` and a "safe" `os`
 * (time/date) library, the live object as the global `obj`, the returned table read as `{status, message}`. Whole
 * numbers are pushed as integers so `..` formats them as gopher-lua does ("3", not "3.0"); fengari's integers are
 * 32-bit, so larger whole numbers are pushed as floats.
 */
import { createRequire } from 'module';
// ---------------------------------------------------------------------------------------------------------------
// The Lua VM (fengari has no type declarations: the few entry points used, typed here).
type LuaState = { readonly __luaState: unique symbol };
type LuaString = Uint8Array;
interface LuaApi {
  LUA_OK: number;
  LUA_ERRSYNTAX: number;
  LUA_MULTRET: number;
  LUA_TNIL: number;
  LUA_TTABLE: number;
  LUA_TSTRING: number;
  lua_createtable(L: LuaState, narr: number, nrec: number): void;
  lua_dump(L: LuaState, writer: (L: LuaState, bytes: Uint8Array, size: number) => number, data: unknown, strip: boolean): number;
  lua_getfield(L: LuaState, idx: number, k: LuaString): number;
  lua_gettop(L: LuaState): number;
  lua_pcall(L: LuaState, nargs: number, nresults: number, msgh: number): number;
  lua_pop(L: LuaState, n: number): void;
  lua_pushboolean(L: LuaState, b: boolean): void;
  lua_pushinteger(L: LuaState, n: number): void;
  lua_pushnil(L: LuaState): void;
  lua_pushnumber(L: LuaState, n: number): void;
  lua_pushstring(L: LuaState, s: LuaString): void;
  lua_rawseti(L: LuaState, idx: number, n: number): void;
  lua_setfield(L: LuaState, idx: number, k: LuaString): void;
  lua_setglobal(L: LuaState, name: LuaString): void;
  lua_tojsstring(L: LuaState, idx: number): string;
  lua_type(L: LuaState, idx: number): number;
}
interface LauxlibApi {
  luaL_newstate(): LuaState;
  luaL_loadstring(L: LuaState, s: LuaString): number;
  luaL_loadbuffer(L: LuaState, buff: Uint8Array, size: number, name: LuaString | null): number;
  luaL_requiref(L: LuaState, name: LuaString, open: unknown, glb: number): void;
  luaL_typename(L: LuaState, idx: number): LuaString;
}
interface Fengari {
  lua: LuaApi;
  lauxlib: LauxlibApi;
  lualib: Record<'luaopen_base' | 'luaopen_package' | 'luaopen_table' | 'luaopen_os', unknown>;
  to_luastring(s: string): LuaString;
}
const fengari = createRequire(__filename)('fengari') as Fengari;
const { lua, lauxlib, lualib, to_luastring: ls } = fengari;

const HEALTH_CODES = ['Healthy', 'Progressing', 'Suspended', 'Degraded', 'Missing', 'Unknown'];

export interface LuaHealth {
  readonly status?: string;
  readonly message?: string;
  /** The script raised, or returned something else than a table or nil (Argo CD: an error, no health). */
  readonly error?: string;
}

/** `decodeValue`: JSON into Lua values on the stack. */
function push(L: LuaState, value: unknown): void {
  if (value === null || value === undefined) {
    lua.lua_pushnil(L);
  } else if (typeof value === 'boolean') {
    lua.lua_pushboolean(L, value);
  } else if (typeof value === 'number') {
    if (Number.isInteger(value) && Math.abs(value) < 2 ** 31) {
      lua.lua_pushinteger(L, value);
    } else {
      lua.lua_pushnumber(L, value);
    }
  } else if (typeof value === 'string') {
    lua.lua_pushstring(L, ls(value));
  } else if (Array.isArray(value)) {
    lua.lua_createtable(L, value.length, 0);
    value.forEach((item, i) => {
      push(L, item);
      lua.lua_rawseti(L, -2, i + 1);
    });
  } else if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    lua.lua_createtable(L, 0, entries.length);
    for (const [k, v] of entries) {
      push(L, v);
      lua.lua_setfield(L, -2, ls(k));
    }
  } else {
    lua.lua_pushnil(L);
  }
}

function stringField(L: LuaState, name: string): string | undefined {
  const type = lua.lua_getfield(L, -1, ls(name));
  const value = type === lua.LUA_TNIL ? undefined : lua.lua_tojsstring(L, -1);
  lua.lua_pop(L, 1);
  return value;
}

/**
 * Each chunk compiled once, as bytecode with its debug information (the source name included, so messages are those
 * of the source), or the error compiling it gave: parsing a script costs several times what running it does, and
 * every run still gets a fresh state, in which the bytecode loads as the same function the source would.
 */
const compiled = new Map<string, { readonly bytecode: Uint8Array } | { readonly error: string }>();

/** `luaL_loadstring(L, source)`, from the compiled chunk: pushes the function and returns LUA_OK, or pushes the error. */
function loadChunk(L: LuaState, source: string): number {
  let chunk = compiled.get(source);
  if (chunk === undefined) {
    const C = lauxlib.luaL_newstate();
    if (lauxlib.luaL_loadstring(C, ls(source)) !== lua.LUA_OK) {
      chunk = { error: lua.lua_tojsstring(C, -1) };
    } else {
      const parts: Uint8Array[] = [];
      lua.lua_dump(C, (_L, bytes, size) => {
        parts.push(bytes.slice(0, size));
        return 0;
      }, null, false);
      const bytecode = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
      let at = 0;
      for (const part of parts) {
        bytecode.set(part, at);
        at += part.length;
      }
      chunk = { bytecode };
    }
    compiled.set(source, chunk);
  }
  if ('error' in chunk) {
    lua.lua_pushstring(L, ls(chunk.error));
    return lua.LUA_ERRSYNTAX;
  }
  return lauxlib.luaL_loadbuffer(L, chunk.bytecode, chunk.bytecode.length, null);
}

/** `ExecuteHealthLua(obj, script)` with `UseOpenLibs` false. */
export function executeHealthLua(obj: unknown, script: string): LuaHealth {
  const L = lauxlib.luaL_newstate();
  const open = (name: string, fn: unknown) => {
    lauxlib.luaL_requiref(L, ls(name), fn, 1);
    lua.lua_pop(L, 1);
  };
  open('package', lualib.luaopen_package);
  open('_G', lualib.luaopen_base);
  open('table', lualib.luaopen_table);
  open('os', lualib.luaopen_os);
  // `OpenSafeOs`: only os.time and os.date.
  if (loadChunk(L, 'local t, d = os.time, os.date; for k in pairs(os) do os[k] = nil end; os.time = t; os.date = d') !== lua.LUA_OK
    || lua.lua_pcall(L, 0, 0, 0) !== lua.LUA_OK) {
    throw new Error(lua.lua_tojsstring(L, -1));
  }
  push(L, obj);
  lua.lua_setglobal(L, ls('obj'));
  const base = lua.lua_gettop(L);
  if (loadChunk(L, script) !== lua.LUA_OK || lua.lua_pcall(L, 0, lua.LUA_MULTRET, 0) !== lua.LUA_OK) {
    return { error: lua.lua_tojsstring(L, -1) };
  }
  if (lua.lua_gettop(L) === base || lua.lua_type(L, -1) === lua.LUA_TNIL) {
    return {};
  }
  if (lua.lua_type(L, -1) !== lua.LUA_TTABLE) {
    return { error: `expect table output from Lua script, not ${new TextDecoder().decode(lauxlib.luaL_typename(L, -1))}` };
  }
  const status = stringField(L, 'status');
  const message = stringField(L, 'message');
  if (!HEALTH_CODES.includes(status ?? '')) {
    return { status: 'Unknown', message: 'Lua returned an invalid health status' };
  }
  return { status, ...(message === undefined ? {} : { message }) };
}
