using RabbitMQ.Client.Exceptions;

namespace FourSite.ServiceDefaults.Messaging;

/// <summary>
/// RabbitMQ being away or refusing a command, as its client reports it to code that uses a connection directly (queue
/// depths, topology repairs): a closed channel or connection, an unreachable broker, or a broken socket.
/// </summary>
public static class BrokerFailures
{
    public static bool IsBrokerFailure(this Exception exception) =>
        exception is OperationInterruptedException or BrokerUnreachableException or AlreadyClosedException or IOException;
}
