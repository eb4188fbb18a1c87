// On a phone the diagram is one part of a page that scrolls. React Flow takes every touch on it for
// itself: a swipe panned the drawing into empty space while the page, and the inspector below the
// diagram, stood still. Here one finger scrolls the page (the pane lets the browser pan vertically,
// styles.css) and taps still select; two fingers move and zoom the diagram, as in a map on a web page.
import { useEffect, type RefObject } from 'react';
import { useReactFlow, type Viewport } from '@xyflow/react';

interface Pinch {
  mid: { x: number; y: number };
  dist: number;
  view: Viewport;
}

/** Two-finger pan and zoom of the diagram in `wrapper`, and one finger left to the page, while `enabled`. */
export function useTouchView(wrapper: RefObject<HTMLElement | null>, enabled: boolean, minZoom: number, maxZoom: number): void {
  const flow = useReactFlow();
  useEffect(() => {
    const el = wrapper.current;
    if (!enabled || !el) return;
    let pinch: Pinch | null = null;
    const measure = (touches: TouchList) => {
      const r = el.getBoundingClientRect();
      const [a, b] = [touches[0]!, touches[1]!];
      return {
        mid: { x: (a.clientX + b.clientX) / 2 - r.left, y: (a.clientY + b.clientY) / 2 - r.top },
        dist: Math.max(1, Math.hypot(a.clientX - b.clientX, a.clientY - b.clientY)),
      };
    };
    // In the capture phase, on the way down: React Flow's pan and zoom and a block's drag never see a touch.
    const start = (e: TouchEvent) => {
      e.stopPropagation();
      pinch = e.touches.length === 2 ? { ...measure(e.touches), view: flow.getViewport() } : null;
    };
    const move = (e: TouchEvent) => {
      e.stopPropagation();
      if (!pinch || e.touches.length !== 2) return;
      e.preventDefault(); // the browser would scroll the page with two fingers too
      const now = measure(e.touches);
      const { view } = pinch;
      const zoom = Math.min(maxZoom, Math.max(minZoom, (view.zoom * now.dist) / pinch.dist));
      // The point of the drawing that was under the fingers' midpoint stays under it.
      const [fx, fy] = [(pinch.mid.x - view.x) / view.zoom, (pinch.mid.y - view.y) / view.zoom];
      void flow.setViewport({ x: now.mid.x - fx * zoom, y: now.mid.y - fy * zoom, zoom });
    };
    const end = (e: TouchEvent) => {
      e.stopPropagation();
      if (e.touches.length !== 2) pinch = null;
    };
    el.addEventListener('touchstart', start, { capture: true, passive: true });
    el.addEventListener('touchmove', move, { capture: true, passive: false });
    el.addEventListener('touchend', end, { capture: true });
    el.addEventListener('touchcancel', end, { capture: true });
    return () => {
      el.removeEventListener('touchstart', start, { capture: true });
      el.removeEventListener('touchmove', move, { capture: true });
      el.removeEventListener('touchend', end, { capture: true });
      el.removeEventListener('touchcancel', end, { capture: true });
    };
  }, [wrapper, enabled, minZoom, maxZoom, flow]);
}
