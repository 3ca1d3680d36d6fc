// Shared by the platform pages and generated sites: JSON calls that turn problem details into readable errors, the
// visitor's session id, lead capture, and HTML-safe text.
(() => {
  const readable = (body, status) => {
    if (body && body.errors) return Object.values(body.errors).flat().join(' ');
    if (body && (body.detail || body.title)) return body.detail || body.title;
    return `The request failed (${status}).`;
  };

  const pause = seconds => new Promise(done => setTimeout(done, seconds * 1000));

  /**
   * fetch + JSON; rejects with an Error carrying status, code and retryAfter (seconds) for anything not 2xx. A site the
   * service has not heard of yet (just generated: 404 with Retry-After) is asked for again, quietly, for a few seconds.
   */
  async function api(path, { method = 'GET', body, headers = {} } = {}) {
    let response;
    let data;
    for (let attempt = 1; ; attempt++) {
      response = await fetch(path, {
        method,
        headers: { Accept: 'application/json', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
      data = await response.json().catch(() => null);
      const retryAfter = Number(response.headers.get('Retry-After')) || 0;
      if (response.status !== 404 || !retryAfter || !data || data.code !== 'site_not_found' || attempt >= 10) break;
      await pause(Math.min(retryAfter, 1));
    }
    if (!response.ok) {
      const error = new Error(readable(data, response.status));
      error.status = response.status;
      error.code = data && data.code;
      error.data = data;
      error.retryAfter = Number(response.headers.get('Retry-After')) || 0;
      throw error;
    }
    return data;
  }

  /** This visitor's id for the browser session (captures, shares, visits and real-user monitoring); undefined without storage. */
  function sessionId() {
    try {
      const id = sessionStorage.getItem('foursite-session') || crypto.randomUUID();
      sessionStorage.setItem('foursite-session', id);
      return id;
    } catch { return undefined; }
  }

  /** Captures a lead (POST /api/leads/capture); resolves with its score, rejects as api() does. */
  const captureLead = body => api('/api/leads/capture', { method: 'POST', body });

  /** Creates an element with text content only (never HTML), attributes and children. */
  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'text') node.textContent = String(value);
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat()) if (child != null) node.append(child instanceof Node ? child : String(child));
    return node;
  }

  const SVG = 'http://www.w3.org/2000/svg';
  /** A tiny inline line chart of a series of numbers. */
  function sparkline(values, label) {
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('class', 'spark');
    svg.setAttribute('viewBox', '0 0 100 30');
    svg.setAttribute('preserveAspectRatio', 'none');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', label);
    const max = Math.max(1, ...values);
    const step = values.length > 1 ? 100 / (values.length - 1) : 100;
    const line = document.createElementNS(SVG, 'polyline');
    line.setAttribute('points', values.map((value, i) => `${(i * step).toFixed(1)},${(28 - (value / max) * 26).toFixed(1)}`).join(' '));
    svg.append(line);
    return svg;
  }

  /** A small secondary button that runs <run>, disabled while it does, and shows its error in <status>. */
  function action(label, testid, run, status) {
    const button = el('button', { type: 'button', class: 'secondary small', 'data-testid': testid, text: label });
    button.addEventListener('click', async () => {
      button.disabled = true;
      try { await run(); } catch (error) { status.textContent = error.message; } finally { button.disabled = false; }
    });
    return button;
  }

  const number = value => (typeof value === 'number' ? value.toLocaleString('en', { maximumFractionDigits: 2 }) : '–');
  const percent = value => (typeof value === 'number' ? `${(value * 100).toFixed(1)} %` : '–');

  window.FourSite = { api, el, action, sparkline, number, percent, sessionId, captureLead };
})();
