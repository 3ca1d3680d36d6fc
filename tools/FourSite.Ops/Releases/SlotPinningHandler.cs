namespace FourSite.Ops.Releases;

/// <summary>
/// Sends every request to one slot of each service through the gateway (its <c>X-FourSite-Slot</c> header, honoured for
/// the operator key only), so the idle slot can be checked before any user reaches it.
/// </summary>
public sealed class SlotPinningHandler : DelegatingHandler
{
    public const string Header = "X-FourSite-Slot";

    private readonly string _slot;
    private readonly string _operatorKey;

    public SlotPinningHandler(string slot, string operatorKey, HttpMessageHandler? inner = null) : base(inner ?? new SocketsHttpHandler())
    {
        _slot = slot;
        _operatorKey = operatorKey;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Remove(Header);
        request.Headers.Add(Header, _slot);
        request.Headers.Remove("X-Api-Key");
        request.Headers.Add("X-Api-Key", _operatorKey);
        return base.SendAsync(request, cancellationToken);
    }
}
