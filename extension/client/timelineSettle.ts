// The timeline page's mark buttons while the window moves (part of the page script): hidden
// during a zoom or a pan, back a slice at a time once it has rested.
/// <reference lib="dom" />

/**
 * While a zoom or a pan goes on (frames less than SETTLE ms apart), the mark buttons are hidden
 * rather than moved: hundreds of them restyled in every frame cost the browser more than the
 * frame. They come back, placed over the glyphs, once the window has rested SETTLE ms, a slice
 * at a time (so no one task restyles them all). A click meanwhile reaches the canvas, which finds
 * the glyph under it the same way. Not while one of them has the focus (the keyboard's frames
 * keep them all in place).
 */
const SETTLE = 150;
/** How many buttons come back in each task once the window has rested. */
const SETTLE_SLICE = 150;

export class MarkSettle {
  private movedAt = -Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** How many buttons are back since the window rested (Infinity: all of them, as every frame places them). */
  private count = Infinity;

  /**
   * `layer` holds the buttons; `place(count)` puts the first `count` of the last frame's buttons
   * in place and says whether more are left; `ready` is whether there is a picture to place them on.
   */
  constructor(private readonly layer: HTMLElement, private readonly place: (count: number) => boolean, private readonly ready: () => boolean) {}

  /** The window moved (a zoom or a pan). */
  moving(): void {
    this.movedAt = performance.now();
  }

  /** Whether this frame leaves the buttons hidden; when not, the frame places them all (any slices pending are dropped). */
  settling(): boolean {
    const wait = this.movedAt + SETTLE - performance.now();
    if (wait <= 0 || (document.activeElement instanceof HTMLElement && document.activeElement.parentElement === this.layer)) {
      this.count = Infinity;
      if (this.timer !== undefined) { clearTimeout(this.timer); this.timer = undefined; }
      return false;
    }
    this.layer.hidden = true;
    this.count = 0;
    if (this.timer === undefined) this.timer = setTimeout(() => this.settled(), wait);
    return true;
  }

  private settled(): void {
    this.timer = undefined;
    if (!this.ready()) return;
    const wait = this.movedAt + SETTLE - performance.now();
    if (wait > 0) { this.timer = setTimeout(() => this.settled(), wait); return; }
    this.count += SETTLE_SLICE;
    this.layer.hidden = false;
    if (this.place(this.count)) this.timer = setTimeout(() => this.settled(), 0);
    else this.count = Infinity;
  }
}
