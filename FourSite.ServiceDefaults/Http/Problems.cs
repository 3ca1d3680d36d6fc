using System.Text.Json;
using FluentValidation.Results;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FourSite.ServiceDefaults.Http;

/// <summary>RFC 9457 problem answers with a stable <c>type</c> and <c>code</c>, the only shape FourSite's errors take.</summary>
public static class Problems
{
    public const string TypeBase = "https://4site.pro/problems/";
    public const string ValidationCode = "validation_failed";

    public static ProblemHttpResult Of(int status, string code, string title, string? detail = null, IDictionary<string, object?>? extensions = null)
    {
        var all = new Dictionary<string, object?>(extensions ?? new Dictionary<string, object?>()) { ["code"] = code };
        return TypedResults.Problem(detail, statusCode: status, title: title, type: TypeBase + code, extensions: all);
    }

    /// <summary>A 400 listing each failing field (camelCase, as in the request body) and what is wrong with it.</summary>
    public static ValidationProblem Validation(ValidationResult result) =>
        Validation(result.Errors
            .GroupBy(error => CamelCase(error.PropertyName))
            .ToDictionary(group => group.Key, group => group.Select(error => error.ErrorMessage).Distinct().ToArray()));

    /// <summary>A 400 listing each failing field (or query parameter) and what is wrong with it.</summary>
    public static ValidationProblem Validation(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(
            errors,
            title: "The request is not valid.",
            type: TypeBase + ValidationCode,
            extensions: new Dictionary<string, object?> { ["code"] = ValidationCode });

    /// <summary>"Metadata.ScrollDepth" → "metadata.scrollDepth".</summary>
    private static string CamelCase(string propertyPath) =>
        string.Join('.', propertyPath.Split('.').Select(part => JsonNamingPolicy.CamelCase.ConvertName(part)));
}
