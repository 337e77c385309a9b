import './zodConfig';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { startApp } from './app/startApp';
import './styles/base.css';
import './styles/layout.css';
import './features/jobs/jobs.css';
import './features/logs/logs.css';
import './features/launch/launch.css';
import './components/charts/charts.css';
import './features/detail/detail.css';
import './features/cpu/cpu.css';
import './features/batches/batches.css';
import './features/groups/groups.css';

startApp();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
