using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using FourSite.Leads.Announcements;
using Microsoft.Extensions.Options;
using MimeKit;
using static FourSite.Leads.Email.EmailLayout;

namespace FourSite.Leads.Email;

/// <summary>
/// Composes each email when it is sent, from its kind and payload: subject, HTML and plain text, a stable
/// <c>Message-ID</c>, and on broadcasts the one-click unsubscribe headers of RFC 8058.
/// </summary>
public sealed class EmailComposer(IOptionsMonitor<EmailOptions> options, AnnouncementStore announcements)
{
    /// <summary>Announcements rendered once per broadcast, not once per recipient; a few kept at a time.</summary>
    private readonly ConcurrentDictionary<Guid, AnnouncementContent?> _rendered = new();

    /// <returns>The message; null when what it was about is gone (an announcement removed with its site).</returns>
    public async Task<MimeMessage?> ComposeAsync(DueEmail email, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(MailboxAddress.Parse(email.Recipient));
        message.MessageId = email.MessageId.Trim('<', '>');
        message.Date = new DateTimeOffset(DateTime.SpecifyKind(email.CreatedAt, DateTimeKind.Utc));

        var (subject, html, text) = email.Kind switch
        {
            EmailKinds.Confirmation => Confirmation(Read<ConfirmationPayload>(email), settings),
            EmailKinds.AddressVerification => AddressVerification(Read<AddressVerificationPayload>(email), settings),
            EmailKinds.NewLead => NewLead(Read<NewLeadPayload>(email), settings),
            EmailKinds.LeadDigest => LeadDigest(Read<LeadDigestPayload>(email), settings),
            EmailKinds.Announcement => await AnnouncementAsync(email, message, settings, cancellationToken),
            EmailKinds.SiteSuspended or EmailKinds.SiteReinstated => SiteModeration(Read<SiteModerationPayload>(email), settings),
            EmailKinds.PrivacyLink => PrivacyLink(Read<PrivacyLinkPayload>(email), settings),
            EmailKinds.OperatorAlert => OperatorAlert(Read<OperatorAlertPayload>(email), settings),
            _ => default,
        };
        if (subject is null)
        {
            return null;
        }

        message.Subject = subject;
        message.Body = new BodyBuilder { HtmlBody = html, TextBody = text }.ToMessageBody();
        return message;
    }

    private static T Read<T>(DueEmail email) => JsonSerializer.Deserialize<T>(email.Payload, JsonSerializerOptions.Web)!;

    private static (string, string, string) Confirmation(ConfirmationPayload payload, EmailOptions settings)
    {
        var confirm = settings.Link($"/e/confirm/{payload.Token}");
        var page = payload.Slug is null ? null : settings.Link($"/s/{payload.Slug}");
        var subject = $"Confirm you want news from {payload.Project}";
        var days = (int)Math.Round(settings.ConfirmationLifetime.TotalDays);
        var body = Paragraph($"You asked for news from {payload.Project}. Confirm, and its maintainers can email you when it ships something new.")
            + Button("Confirm my subscription", confirm)
            + Paragraph($"The link works for {days} days. If you did not ask, ignore this email: you will get nothing more.");
        var text = $"You asked for news from {payload.Project}. Confirm, and its maintainers can email you when it ships something new.\n\nConfirm: {confirm}\n\nThe link works for {days} days. If you did not ask, ignore this email: you will get nothing more.\n";
        if (page is not null)
        {
            // Passing the page on by email counts as a share through email when the friend visits.
            var shared = $"{page}?via=email";
            var forward = $"mailto:?subject={Uri.EscapeDataString(payload.Project)}&body={Uri.EscapeDataString(shared)}";
            body += $"<p style=\"line-height:1.5\">{Link($"Visit {payload.Project}", page)} · {Link("Tell a friend by email", forward)}</p>";
            text += $"\n{payload.Project}: {page}\nTell a friend: {shared}\n";
        }

        return (subject, Html(subject, body, "Sent by FourSite for a project page you visited."), text);
    }

    private static (string, string, string) AddressVerification(AddressVerificationPayload payload, EmailOptions settings)
    {
        const string subject = "Verify your address for FourSite lead notifications";
        var verify = settings.Link($"/e/verify/{payload.Token}");
        var body = Paragraph("Someone signed in to FourSite asked for lead notifications at this address. Verify it to receive them.")
            + Button("Verify this address", verify)
            + Paragraph("If that was not you, ignore this email: nothing will be sent here.");
        var text = $"Someone signed in to FourSite asked for lead notifications at this address. Verify it to receive them:\n{verify}\n\nIf that was not you, ignore this email: nothing will be sent here.\n";
        return (subject, Html(subject, body, "Sent by FourSite."), text);
    }

    private static (string, string, string) PrivacyLink(PrivacyLinkPayload payload, EmailOptions settings)
    {
        const string subject = "Your data at FourSite";
        var link = settings.Link($"/privacy/{payload.Token}");
        const string intro = "Someone asked what FourSite holds about this address. Open the link to see it, download it or erase it.";
        const string after = "The link works for 24 hours. If you did not ask, ignore this email: nothing is shown to anyone else, and nothing changes.";
        var body = Paragraph(intro) + Button("See my data", link) + Paragraph(after);
        var text = $"{intro}\n\nSee my data: {link}\n\n{after}\n";
        return (subject, Html(subject, body, "Sent by FourSite because this address was entered on its \u201cYour data\u201d page."), text);
    }

    private static (string, string, string) SiteModeration(SiteModerationPayload payload, EmailOptions settings)
    {
        var dashboard = settings.Link("/dashboard");
        string subject, facts;
        if (payload.Kind is null)
        {
            subject = $"{payload.Project} is back online";
            facts = $"FourSite lifted the suspension of {payload.Project}: its page is served and takes sign-ups again.";
        }
        else
        {
            subject = $"{payload.Project} was suspended";
            facts = $"A FourSite operator suspended {payload.Project} ({(payload.Kind == "legal" ? "a legal demand" : "a breach of the rules")}). "
                + $"Its page, sign-ups and custom domain are offline. The reason given: {payload.Reason}";
        }

        var body = Paragraph(facts) + Button("Open your dashboard", dashboard);
        var text = $"{facts}\n\nYour dashboard: {dashboard}\n";
        return (subject, Html(subject, body, "Sent to you as the site's owner, at your lead-notification address."), text);
    }

    private static (string, string, string) OperatorAlert(OperatorAlertPayload payload, EmailOptions settings)
    {
        var subject = $"[{payload.Severity.ToUpperInvariant()}] {payload.Rule} {payload.Transition}";
        var ops = settings.Link("/ops");
        var value = payload.Value?.ToString("0.####", CultureInfo.InvariantCulture) ?? "n/a";
        var facts = $"{payload.Message} (value {value}, threshold {payload.Threshold.ToString("0.####", CultureInfo.InvariantCulture)}, "
            + $"{payload.At.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC)";
        var body = Paragraph(facts) + Button("Open operations", ops);
        var text = $"{facts}\n\nOperations: {ops}\n";
        return (subject, Html(subject, body, "Sent to you as on call for FourSite's alerts."), text);
    }

    private static (string, string, string) NewLead(NewLeadPayload payload, EmailOptions settings)
    {
        var subject = $"New lead for {payload.Project}: {payload.LeadEmail}";
        var dashboard = settings.Link("/dashboard");
        var facts = $"{payload.LeadEmail} · score {payload.LeadScore}{(payload.NewsletterOptIn ? " · asked for news" : "")} · {payload.CapturedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC";
        var body = Paragraph(facts) + Button("See your leads", dashboard);
        var text = $"{facts}\n\nSee your leads: {dashboard}\n";
        return (subject, Html(subject, body, "You chose to hear of each new lead. Change that on your dashboard."), text);
    }

    private static (string, string, string) LeadDigest(LeadDigestPayload payload, EmailOptions settings)
    {
        var subject = $"{payload.Count} new lead{(payload.Count == 1 ? "" : "s")} for {payload.Project}";
        var dashboard = settings.Link("/dashboard");
        var lines = payload.Top.Select(lead => $"{lead.Email} · score {lead.LeadScore}").ToList();
        var more = payload.Count > lines.Count ? $"and {payload.Count - lines.Count} more" : null;
        var body = "<ul>" + string.Concat(lines.Select(line => $"<li>{Encode(line)}</li>")) + "</ul>"
            + (more is null ? "" : Paragraph(more)) + Button("See your leads", dashboard);
        var text = string.Join("\n", lines) + (more is null ? "" : $"\n{more}") + $"\n\nSee your leads: {dashboard}\n";
        return (subject, Html(subject, body, $"Leads since {payload.Since.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC. You chose a daily digest; change that on your dashboard."), text);
    }

    private async Task<(string?, string?, string?)> AnnouncementAsync(DueEmail email, MimeMessage message, EmailOptions settings, CancellationToken cancellationToken)
    {
        var id = email.AnnouncementId!.Value;
        if (!_rendered.TryGetValue(id, out var content))
        {
            if (_rendered.Count > 64)
            {
                _rendered.Clear();
            }

            content = await announcements.ContentAsync(id, cancellationToken);
            _rendered[id] = content;
        }

        if (content is null)
        {
            return default;
        }

        var page = content.Slug is null ? null : settings.Link($"/s/{content.Slug}");
        var visit = page is null ? "" : $"<p style=\"line-height:1.5\">{Link($"Visit {content.Project}", page)}</p>";
        if (email.UnsubscribeToken is null)
        {
            // A test to the maintainer: the broadcast's frame, without a subscription to leave.
            return ($"[Test] {content.Subject}", Html(content.Subject, content.Rendered.Html + visit, $"A test of an announcement for {content.Project}, sent only to you."),
                content.Rendered.Text + "\n\n-- \nA test, sent only to you.\n");
        }

        var unsubscribe = settings.Link($"/e/unsubscribe/{email.UnsubscribeToken}");
        // The mailto is offered only where someone reads that mailbox (UnsubscribeMailReader).
        var mailto = settings.UnsubscribeMailboxUri is null ? "" : $", <mailto:{settings.UnsubscribeAddress}?subject=unsubscribe%20{email.UnsubscribeToken}>";
        message.Headers.Add("List-Unsubscribe", $"<{unsubscribe}>{mailto}");
        message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        // The project's name comes from its README: one clean line, without the brackets that delimit the list's id.
        message.Headers.Add("List-Id", $"{Subjects.Clean(content.Project).Replace('<', ' ').Replace('>', ' ')} <{content.SiteId:N}.list.{settings.SenderDomain}>");
        var footer = $"You get this because you confirmed you want news from {content.Project}.";
        return (content.Subject, Html(content.Subject, content.Rendered.Html + visit, footer, "Unsubscribe", unsubscribe),
            content.Rendered.Text + (page is null ? "" : $"\n\n{content.Project}: {page}") + $"\n\n-- \n{footer}\nUnsubscribe: {unsubscribe}\n");
    }
}

/// <summary>An announcement as it is sent: rendered once.</summary>
public sealed record AnnouncementContent(Guid SiteId, string Project, string? Slug, string Subject, RenderedMarkdown Rendered);
