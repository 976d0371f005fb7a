using OrleansCqrs.Framework.Aggregates;

namespace OrleansCqrs.Framework.Tests.Aggregates;

public sealed class IdFormatTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("acc-1")]
    [InlineData("0.x_y-z")]
    public void Ids_of_url_safe_characters_starting_with_a_letter_or_digit_are_valid(string id) => Assert.True(IdFormat.IsValid(id));

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData(".hidden")]
    [InlineData("-a")]
    [InlineData("_a")]
    [InlineData("a/b")]
    [InlineData("a b")]
    [InlineData("")]
    [InlineData(null)]
    public void Ids_a_url_could_normalise_away_or_that_need_escaping_are_invalid(string? id) => Assert.False(IdFormat.IsValid(id));

    [Fact]
    public void An_id_is_at_most_64_characters()
    {
        Assert.True(IdFormat.IsValid(new string('a', IdFormat.MaxLength)));
        Assert.False(IdFormat.IsValid(new string('a', IdFormat.MaxLength + 1)));
    }
}
