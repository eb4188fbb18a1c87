// Fast refresh in development, loaded as a module (the page's CSP allows no inline script); empty in a build.
import '@vitejs/plugin-react/preamble';
import '@xyflow/react/dist/style.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { startPersistence } from './store/persistence.ts';
import { startSessions } from './store/session.ts';
import { registerServiceWorker } from './offline/register.ts';

registerServiceWorker();
startSessions();
startPersistence();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
