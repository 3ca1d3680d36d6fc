using FourSite.ServiceDefaults.Identity;
using FourSite.Leads.Capture;
using Xunit;

namespace FourSite.Leads.Tests;

public sealed class EmailIdentityTests
{
    [Theory]
    [InlineData("  Ada@Example.COM ", "ada@example.com")]
    [InlineData("john.doe+news@gmail.com", "johndoe@gmail.com")]
    [InlineData("J.O.H.N.DOE@googlemail.com", "johndoe@gmail.com")]
    [InlineData("ada+launch@outlook.com", "ada@outlook.com")]
    [InlineData("ada.lovelace+x@example.com", "ada.lovelace+x@example.com")]
    [InlineData("first.last@yahoo.com", "first.last@yahoo.com")]
    public void Normalises_to_the_person(string typed, string identity) => Assert.Equal(identity, EmailIdentity.Normalise(typed));

    [Theory]
    [InlineData("test@example.com")]
    [InlineData("o'brien@example.ie")]
    [InlineData("a.b-c_d+e@sub.example.co.uk")]
    public void Accepts_real_addresses(string email) => Assert.True(EmailIdentity.IsValid(email));

    [Theory]
    [InlineData("'; DROP TABLE users; --")]
    [InlineData("' OR '1'='1")]
    [InlineData("'; INSERT INTO users (email) VALUES ('hacker@evil.com'); --")]
    [InlineData("<script>alert(1)</script>@x.com")]
    [InlineData("plainaddress")]
    [InlineData("a@b")]
    [InlineData("a..b@example.com")]
    [InlineData(".a@example.com")]
    [InlineData("a@-example.com")]
    [InlineData("a@example.c")]
    [InlineData("")]
    [InlineData(null)]
    public void Rejects_everything_else(string? email) => Assert.False(EmailIdentity.IsValid(email));

    [Fact]
    public void Rejects_overlong_addresses()
    {
        Assert.False(EmailIdentity.IsValid(new string('a', 65) + "@example.com"));
        Assert.False(EmailIdentity.IsValid("a@" + string.Join('.', Enumerable.Repeat(new string('b', 60), 5)) + ".com"));
    }

    [Fact]
    public void The_person_hash_is_stable_and_reveals_nothing()
    {
        var hash = EmailIdentity.PersonHash("ada@example.com");

        Assert.Equal(64, hash.Length);
        Assert.Equal(hash, EmailIdentity.PersonHash("ada@example.com"));
        Assert.DoesNotContain("ada", hash);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("+1-555", "'+1-555")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    public void Csv_cells_cannot_become_formulas(string value, string cell) => Assert.Equal(cell, LeadCsv.Cell(value));
}
