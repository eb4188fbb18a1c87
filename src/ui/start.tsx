// Starts the page: the service worker, the sessions, presenter mode, the autosaved board, then React.
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
