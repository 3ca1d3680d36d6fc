using System.Net;
using System.Net.Sockets;

namespace FourSite.ServiceDefaults.Access;

/// <summary>
/// The network a visitor came from, coarse enough not to identify them: the /24 of an IPv4 address, the /48 of an
/// IPv6 one. Viral compares it with the referrer's to spot self-referrals.
/// </summary>
public static class ClientNetwork
{
    public static string? Of(IPAddress? address)
    {
        if (address is null)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        return address.AddressFamily == AddressFamily.InterNetwork
            ? $"{bytes[0]}.{bytes[1]}.{bytes[2]}.0/24"
            : $"{new IPAddress([.. bytes[..6], .. new byte[10]])}/48";
    }
}
