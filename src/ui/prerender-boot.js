// The first view made when the page was built (prerender.tsx) is kept only where the page will draw
// the same, and its diagram is fitted to this window as React Flow fits the page's. Inline in the
// built index.html, right after the copy: it runs as soon as the copy is parsed, with nothing to wait
// for (the page's styles are inline too), and until it marks the page the styles keep the copy off the
// screen, so no frame shows a copy that should not be there or a diagram not yet fitted. The page's
// CSP allows this script by its hash and no other inline script (vite.config.ts); its settings are in
// the copy's data-args attribute, so the file is the same in every build and the development server
// serves the same policy.
(function () {
  var html = document.documentElement;
  var copy = document.getElementById('prerender');
  if (!copy) return;
  var args = JSON.parse(copy.getAttribute('data-args'));
  var layout = matchMedia('(max-width: ' + args.narrowMaxPx + 'px)').matches
    ? 'narrow'
    : matchMedia('(max-width: ' + args.compactMaxPx + 'px)').matches ? 'compact' : 'wide';
  // A board, lesson or embed link, or a saved board, splitter height or presenter mode: a different
  // first view. A phone's first view is not made at all.
  var first = !location.search && !location.hash && layout !== 'narrow';
  try {
    for (var i = 0; i < args.savedKeys.length; i++) if (localStorage.getItem(args.savedKeys[i]) !== null) first = false;
    if (localStorage.getItem(args.presenterKey) === '1') first = false;
  } catch (e) {
    // Storage disabled: the page starts with a new board, as the copy shows.
  }
  // Where it is not the first view, the copy goes: the styles have kept it hidden. (Elsewhere the page
  // removes it once its own diagram is drawn, or when its code cannot load.)
  if (!first) return copy.parentNode.removeChild(copy);

  // The copy's first frame draws the diagram and the panels' frames, and the frame after it the
  // panels' contents and the diagram's dots (the styles hide them while this is 'diagram'): the
  // diagram is on the screen sooner, and nothing moves when the rest comes.
  html.setAttribute('data-first-view', 'diagram');
  copy.querySelector('.app').setAttribute('data-layout', layout);
  // The diagram is fitted whenever its size is known or changes (a ResizeObserver reports after layout
  // and before paint).
  var flow = copy.querySelector('.react-flow');
  new ResizeObserver(function () {
    fit(flow, flow.clientWidth, flow.clientHeight);
  }).observe(flow);
  // The frame that draws the diagram runs the first callback; the second is the next frame's.
  requestAnimationFrame(function () {
    requestAnimationFrame(function () {
      html.setAttribute('data-first-view', '');
    });
  });

  function pad(size) {
    return Math.floor((size - size / (1 + args.padding)) * 0.5);
  }

  function fit(flow, width, height) {
    var b = args.bounds;
    var px = pad(width);
    var py = pad(height);
    var zoom = Math.min((width - 2 * px) / b.width, (height - 2 * py) / b.height);
    zoom = Math.min(Math.max(zoom, args.minZoom), args.maxZoom);
    var x = width / 2 - (b.x + b.width / 2) * zoom;
    var y = height / 2 - (b.y + b.height / 2) * zoom;
    // Where rounding leaves less than the padding on one side, the view moves by the difference.
    x += -Math.min(Math.floor(b.x * zoom + x) - px, 0) + Math.min(Math.floor(width - ((b.x + b.width) * zoom + x)) - px, 0);
    y += -Math.min(Math.floor(b.y * zoom + y) - py, 0) + Math.min(Math.floor(height - ((b.y + b.height) * zoom + y)) - py, 0);
    flow.querySelector('.react-flow__viewport').style.transform = 'translate(' + x + 'px,' + y + 'px) scale(' + zoom + ')';
    flow.style.setProperty('--inv-zoom', String(Math.max(1, 1 / zoom)));
    // The background's dots, as React Flow's Background draws them for this viewport.
    var gap = args.dots.gap * zoom;
    var r = (args.dots.size * zoom) / 2;
    var pattern = flow.querySelector('.react-flow__background pattern');
    var dot = pattern.querySelector('circle');
    pattern.setAttribute('x', String(x % gap));
    pattern.setAttribute('y', String(y % gap));
    pattern.setAttribute('width', String(gap));
    pattern.setAttribute('height', String(gap));
    pattern.setAttribute('patternTransform', 'translate(-' + gap / 2 + ',-' + gap / 2 + ')');
    dot.setAttribute('cx', String(r));
    dot.setAttribute('cy', String(r));
    dot.setAttribute('r', String(r));
  }
})();
