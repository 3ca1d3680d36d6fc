using FourSite.Generation.Writers;
using Xunit;

namespace FourSite.Generation.Tests;

public sealed class PlainTextTests
{
    [Theory]
    [InlineData("<script>alert(1)</script>Hello", "Hello")]
    [InlineData("Hi <img src=x onerror=alert(1)>there", "Hi there")]
    [InlineData("<a href=\"javascript:alert(1)\">click</a>", "click")]
    [InlineData("javascript:alert(1)", "alert(1)")]
    [InlineData("javajavascript:script:alert(1)", "alert(1)")]
    [InlineData("&lt;script&gt;alert(1)&lt;/script&gt;", "")]
    [InlineData("data:text/html;base64,xyz", "text/html;base64,xyz")]
    [InlineData("  many \n\t spaces  ", "many spaces")]
    [InlineData("a < b and c > d", "a b and c d")]
    [InlineData(null, "")]
    public void Strips_markup_and_script(string? input, string expected) => Assert.Equal(expected, PlainText.Clean(input, 200));

    [Fact]
    public void Caps_length() => Assert.Equal(new string('a', 10) + "…", PlainText.Clean(new string('a', 50), 10));

    [Theory]
    [InlineData("https://example.com/docs", "https://example.com/docs")]
    [InlineData("http://example.com", "http://example.com/")]
    [InlineData("javascript:alert(1)", null)]
    [InlineData("data:text/html,<script>", null)]
    [InlineData("/relative", null)]
    [InlineData("", null)]
    public void Keeps_only_http_urls(string input, string? expected) => Assert.Equal(expected, PlainText.SafeUrl(input));
}
