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
import { startPresenter } from './lessons/presenter.ts';

registerServiceWorker();
startSessions();
startPresenter(); // a projector's larger text from the first frame on
// Drawn once the autosaved board is back (at once when there is none), so the first drawing is the user's board.
void startPersistence().finally(() => {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
});
