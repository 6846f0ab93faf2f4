/**
 * Values computed from large texts, kept for the life of the process: the management plane's CRDs run to megabytes,
 * take about a second to render or parse, and are the same in every `dist/` a process synthesizes or reads (tests,
 * `check`). Small texts are not kept; at most `capacity` large ones are (then the memo starts afresh).
 */
export class LargeTextMemo<T> {
  private readonly values = new Map<string, T>();

  constructor(private readonly minChars = 64 * 1024, private readonly capacity = 64) {}

  /** `compute()`, kept by `text` when the text is large. */
  public get(text: string, compute: () => T): T {
    if (text.length < this.minChars) {
      return compute();
    }
    if (!this.values.has(text)) {
      if (this.values.size >= this.capacity) {
        this.values.clear();
      }
      this.values.set(text, compute());
    }
    return this.values.get(text) as T;
  }
}
