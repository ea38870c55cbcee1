// The timeline's Export SVG and Export PNG (part of the page's second script): the window on
// screen as a picture with its lane names, times and legend, posted to the panel to save.
/// <reference lib="dom" />
import { svgToPng } from './graphSvg';
import type { Geometry, TimelineIndex, View } from './timelineLayout';
import { timelineSvg, timelineSvgSized, type Palette } from './timelineText';

/** What the timeline shows: its model's index, the window, the plot's size, the label column's width and the colours. */
export interface TimelinePicture { index: TimelineIndex; view: View; geometry: Geometry; labels: number; palette: Palette }

/** Makes the picture and posts it as an export message; a PNG that cannot be drawn says so in `status`. */
export function exportTimeline(format: 'svg' | 'png', p: TimelinePicture, post: (m: unknown) => void, status: HTMLElement): void {
  if (format === 'svg') {
    post({ type: 'export', format: 'svg', data: timelineSvg(p.index, p.view, p.geometry, p.labels, p.palette) });
    return;
  }
  // The PNG: the same picture as the SVG (lane names, times, the legend), drawn to pixels.
  const pic = timelineSvgSized(p.index, p.view, p.geometry, p.labels, p.palette);
  svgToPng(pic.svg, pic.width, pic.height).then(
    (data) => post({ type: 'export', format: 'png', data }),
    (e: unknown) => { status.textContent = `The picture could not be made: ${e instanceof Error ? e.message : String(e)}`; },
  );
}
