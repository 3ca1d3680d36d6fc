using FourSite.ServiceDefaults.Messaging;

namespace FourSite.ServiceDefaults.Outbox;

/// <summary>Wakes the relay when a transaction with outbox messages commits.</summary>
public sealed class OutboxSignal : WorkSignal;
