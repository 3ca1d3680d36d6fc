// Real-user monitoring: Core Web Vitals (LCP, CLS, INP, FID) and the page's load time once the page is hidden, posted to
// /api/analytics/rum; and, on a generated site's page, one page view for its owner's analytics (no cookie: the server
// counts visitors by a hash it cannot trace back). It never gets in the way: every failure is silent.
(() => {
  const post = (path, body) => {
    try {
      if (navigator.sendBeacon && navigator.sendBeacon(path, new Blob([body], { type: 'application/json' }))) return;
      fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body, keepalive: true }).catch(() => {});
    } catch { /* never in the way */ }
  };

  // A site served under its own domain names its FourSite page, so its beacons count for it.
  const page = document.querySelector('meta[name="foursite-page"]')?.content;
  const url = page && !location.pathname.startsWith('/s/') ? new URL(page, location.origin).href : location.href;
  if (page || location.pathname.startsWith('/s/')) {
    const viewed = new URL(url);
    viewed.search = location.search;
    viewed.hash = '';
    post('/api/analytics/pageview', JSON.stringify({ url: viewed.href, referrer: document.referrer || undefined }));
  }

  if (!('PerformanceObserver' in window)) return;
  const sessionId = window.FourSite?.sessionId?.();
  const vitals = {};
  const observe = (type, handle) => {
    try { new PerformanceObserver(list => list.getEntries().forEach(handle)).observe({ type, buffered: true }); } catch { /* unsupported */ }
  };
  observe('largest-contentful-paint', entry => { vitals.lcp = Math.round(entry.startTime); });
  observe('layout-shift', entry => { if (!entry.hadRecentInput) vitals.cls = Math.round(((vitals.cls || 0) + entry.value) * 10000) / 10000; });
  observe('first-input', entry => { vitals.fid = Math.round(entry.processingStart - entry.startTime); });
  observe('event', entry => { if (entry.interactionId) vitals.inp = Math.max(vitals.inp || 0, Math.round(entry.duration)); });
  // The page's load time (navigation start to the end of its load event), once that event has finished.
  addEventListener('load', () => setTimeout(() => {
    const navigation = performance.getEntriesByType?.('navigation')?.[0];
    if (navigation?.loadEventEnd > 0) vitals.load = Math.round(navigation.loadEventEnd);
  }, 0));

  const send = (type, data) =>
    post('/api/analytics/rum', JSON.stringify({ type, data, sessionId, url, userAgent: navigator.userAgent.slice(0, 512), timestamp: new Date().toISOString() }));
  let sent = false;
  const flush = () => {
    if (sent || Object.keys(vitals).length === 0) return;
    sent = true;
    send('core_web_vitals', { ...vitals });
  };
  addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') flush(); });
  addEventListener('pagehide', flush);
  window.FourSiteRum = { send, flush, vitals };
})();
