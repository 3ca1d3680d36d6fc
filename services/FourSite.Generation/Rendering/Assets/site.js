// Behaviour of a generated site: lead capture with engagement metadata, share tracking, the live viral score. The
// platform's shared script (/assets/common.js) gives the session id and the capture call; a page generated before it
// linked that script loads it here.
(async () => {
  const shared = window.FourSite ?? await new Promise((resolve, reject) => {
    const script = Object.assign(document.createElement('script'), { src: '/assets/common.js' });
    script.addEventListener('load', () => resolve(window.FourSite));
    script.addEventListener('error', reject);
    document.head.append(script);
  });
  const { captureLead } = shared;
  const body = document.body;
  const site = { id: body.dataset.siteId, slug: body.dataset.slug, projectType: body.dataset.projectType, template: body.dataset.template, title: body.dataset.title };
  // Pages stored before every page carried the report, "Your data", privacy and imprint links get them in their footer.
  const footer = document.querySelector('footer');
  if (footer && site.id && !footer.querySelector('[data-testid=report-link]')) {
    const link = Object.assign(document.createElement('a'), { href: `/report?site=${encodeURIComponent(site.id)}`, rel: 'nofollow', textContent: 'Report this page' });
    link.dataset.testid = 'report-link';
    const data = Object.assign(document.createElement('a'), { href: '/your-data', rel: 'nofollow', textContent: 'Your data' });
    data.dataset.testid = 'your-data-link';
    const notice = Object.assign(document.createElement('a'), { href: '/privacy-notice', rel: 'nofollow', textContent: 'Privacy' });
    const imprint = Object.assign(document.createElement('a'), { href: '/imprint', rel: 'nofollow', textContent: 'Imprint' });
    const line = Object.assign(document.createElement('p'), { className: 'report' });
    line.append(link, ' · ', data, ' · ', notice, ' · ', imprint);
    footer.append(line);
  }
  const startedAt = Date.now();
  const sessionId = shared.sessionId();
  let interactions = 0;
  let maxScroll = 0;
  const viewed = new Set();

  document.addEventListener('click', () => { interactions += 1; });
  document.addEventListener('keydown', () => { interactions += 1; });
  const measureScroll = () => {
    const height = document.documentElement.scrollHeight - window.innerHeight;
    maxScroll = Math.max(maxScroll, height <= 0 ? 100 : Math.round((window.scrollY / height) * 100));
  };
  window.addEventListener('scroll', measureScroll, { passive: true });
  measureScroll();
  const observer = new IntersectionObserver(entries => entries.forEach(entry => { if (entry.isIntersecting) viewed.add(entry.target.dataset.section); }));
  document.querySelectorAll('[data-section]').forEach(section => observer.observe(section));

  const showScore = score => {
    const element = document.querySelector('[data-testid="viral-score"]');
    if (element && typeof score === 'number') element.textContent = String(Math.round(score * 10) / 10);
  };
  fetch(`/api/viral/sites/${encodeURIComponent(site.id)}`).then(r => r.ok ? r.json() : null).then(data => data && showScore(data.viralScore)).catch(() => {});

  // Who is behind the page: its repository's verified maintainers, or someone not (yet) confirmed as such. Visitors
  // learn it beside the title, and again where they leave their email.
  const showOwnership = ownership => {
    const repository = body.dataset.repository;
    // Its place is kept in the page, so telling it moves nothing.
    const badge = document.querySelector('[data-testid="site-ownership"]');
    if (badge) {
      badge.classList.toggle('verified', ownership.verified);
      badge.textContent = ownership.verified
        ? `✓ Verified maintainer${ownership.verifiedBy ? ` (@${ownership.verifiedBy})` : ''} of ${repository}`
        : `Not yet claimed by the maintainers of ${repository}`;
    }
    const recipient = document.querySelector('[data-testid="lead-recipient"]');
    if (recipient) {
      recipient.textContent = ownership.verified
        ? `Your email goes to the verified maintainers of ${repository}, and to nobody else.`
        : `Your email goes to whoever launched this page, who is not (yet) a verified maintainer of ${repository}.`;
    }
  };
  fetch(`/api/sites/${encodeURIComponent(site.id)}`).then(r => r.ok ? r.json() : null).then(data => data?.ownership && showOwnership(data.ownership)).catch(() => {});

  // A visit through a shared link (?via=platform) or a referral code (?ref=code) counts towards the site's score.
  const arrival = new URLSearchParams(location.search);
  const via = arrival.get('via');
  const ref = arrival.get('ref');
  // A referral link's code is kept for this visitor's own Pro upgrade on the platform (same origin).
  if (ref && /^[A-Za-z0-9_-]{4,32}$/.test(ref)) {
    try { localStorage.setItem('foursite-referral', ref); } catch { /* private mode */ }
  }
  if (via || ref) {
    fetch('/api/share/visit', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Session-Id': sessionId },
      body: JSON.stringify({ websiteId: site.id, platform: via || undefined, referralCode: ref || undefined }),
    }).catch(() => {});
  }

  // The install command's copy button (the command itself reads fine without it).
  document.querySelectorAll('button.copy').forEach(button => button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(button.dataset.copy);
      button.textContent = 'Copied';
    } catch {
      button.textContent = 'Select and copy';
    }
  }));

  const form = document.getElementById('lead-form');
  form?.addEventListener('submit', async event => {
    event.preventDefault();
    const status = form.querySelector('[data-testid="lead-status"]');
    const data = new FormData(form);
    const payload = {
      email: String(data.get('email') || '').trim(),
      siteId: site.id,
      projectType: site.projectType,
      template: site.template,
      projectInterests: data.getAll('interest').map(String),
      socialPlatforms: data.getAll('platform').map(String),
      newsletterOptIn: data.get('newsletter') === 'on',
      website: String(data.get('website') || ''),
      consentVersion: form.dataset.consentVersion,
      metadata: {
        timeOnSite: Math.round((Date.now() - startedAt) / 1000),
        scrollDepth: maxScroll,
        interactionCount: interactions,
        sectionsViewed: [...viewed],
        deviceType: window.innerWidth < 768 ? 'mobile' : 'desktop',
        screenResolution: `${screen.width}x${screen.height}`,
        timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
        language: navigator.language,
        referrer: document.referrer,
        userAgent: navigator.userAgent,
        sessionId,
      },
      captureTimestamp: new Date().toISOString(),
      referralCode: ref || undefined,
    };
    status.textContent = 'Sending…';
    form.querySelector('[data-testid="capture-success"]')?.remove();
    try {
      const result = await captureLead(payload);
      // The success message joins the page only once the lead is stored, with its score.
      const success = document.getElementById('capture-success-template').content.firstElementChild.cloneNode(true);
      success.querySelector('[data-testid="lead-score"]').textContent = String(result.leadScore);
      // News comes only once the visitor confirms from their inbox: say so, rather than promise it.
      status.textContent = payload.newsletterOptIn ? 'Check your inbox to confirm you want the news.' : '';
      status.after(success);
    } catch (error) {
      // An answer is the server's reason (e.g. the address); no answer at all is the network's.
      status.textContent = error.status ? error.message : 'Could not send right now. Please try again.';
    }
  });

  const intents = {
    twitter: url => `https://twitter.com/intent/tweet?url=${url}&text=${encodeURIComponent(site.title)}`,
    linkedin: url => `https://www.linkedin.com/sharing/share-offsite/?url=${url}`,
    reddit: url => `https://www.reddit.com/submit?url=${url}&title=${encodeURIComponent(site.title)}`,
    hackernews: url => `https://news.ycombinator.com/submitlink?u=${url}&t=${encodeURIComponent(site.title)}`,
    email: url => `mailto:?subject=${encodeURIComponent(site.title)}&body=${url}`,
  };
  document.querySelectorAll('button.share').forEach(button => button.addEventListener('click', async () => {
    const platform = button.dataset.platform;
    window.FourSiteRum?.send('viral_interaction', { action: 'share', platform });
    const shareUrl = `${location.origin}${location.pathname}?via=${encodeURIComponent(platform)}`;
    if (platform === 'copy') {
      await navigator.clipboard?.writeText(shareUrl).catch(() => {});
    } else {
      window.open(intents[platform](encodeURIComponent(shareUrl)), '_blank', 'noopener');
    }
    try {
      const response = await fetch('/api/share/track', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Session-Id': sessionId }, body: JSON.stringify({ websiteId: site.id, platform, shareUrl }) });
      if (response.ok) {
        const result = await response.json();
        window.shareTracked = true;
        showScore(result.viralScore);
      }
    } catch { /* sharing itself already happened */ }
  }));
})();
