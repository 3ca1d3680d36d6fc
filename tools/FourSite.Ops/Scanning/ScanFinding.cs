namespace FourSite.Ops.Scanning;

/// <summary>What the scan found wrong: the operation, the input it sent, the answer's status, what is wrong and the answer's start.</summary>
public sealed record ScanFinding(string Operation, string Input, int Status, string Problem, string Answer)
{
    public override string ToString() => $"{Operation} [{Input}] → {Status}: {Problem}{(Answer.Length > 0 ? $" — {Answer}" : "")}";
}
