// Baseline for navigation: the smallest React page, visible when its heading is.
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';

createRoot(document.getElementById('root')!).render(createElement('h1', { className: 'bench-visible' }, 'hello'));
