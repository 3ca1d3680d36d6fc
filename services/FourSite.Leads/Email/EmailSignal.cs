using FourSite.ServiceDefaults.Messaging;

namespace FourSite.Leads.Email;

/// <summary>Wakes the email dispatcher when emails are written.</summary>
public sealed class EmailSignal : WorkSignal;
