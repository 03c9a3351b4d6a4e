import { unstableSetRender } from 'antd-mobile';
import { StrictMode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import './i18n';
import './app.css';
import { App } from './App';
import { registerWorker } from './lib/worker';

// antd-mobile's Toast and Dialog mount themselves; React 19 has no ReactDOM.render any more.
unstableSetRender((node, container) => {
  const holder = container as (Element | DocumentFragment) & { _root?: Root };
  holder._root ??= createRoot(container);
  holder._root.render(node);
  return async () => {
    await Promise.resolve();
    holder._root?.unmount();
    delete holder._root;
  };
});

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from m/index.html');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
registerWorker();
