using LatentRules.Tokenizers;

namespace LatentRules.Tests.Tokenizers;

public sealed class ChatTemplateTests
{
    private static readonly Lazy<ByteLevelBpeTokenizer> Qwen = new(ByteLevelBpeTokenizer.Qwen);

    [Fact]
    public void PromptsRenderLikeQwen25AndRoundTrip()
    {
        var messages = new[] { new ChatMessage("user", "Differentiate x^{2} with respect to x.") };
        string prompt = ChatTemplate.Render(messages);
        Assert.Equal("<|im_start|>system\n" + ChatTemplate.DefaultSystem +
            "<|im_end|>\n<|im_start|>user\nDifferentiate x^{2} with respect to x.<|im_end|>\n<|im_start|>assistant\n",
            prompt);
        var ids = Qwen.Value.Encode(prompt);
        Assert.Equal(151644, ids[0]);                                   // <|im_start|>
        Assert.Equal(3, ids.Count(i => i == 151644));
        Assert.Equal(2, ids.Count(i => i == 151645));                   // <|im_end|>
        Assert.Equal(prompt, Qwen.Value.Decode(ids));

        var (turns, open) = ChatTemplate.Parse(prompt);
        Assert.Equal(new[] { new ChatMessage("system", ChatTemplate.DefaultSystem), messages[0] }, turns);
        Assert.Equal(new ChatMessage("assistant", ""), open);
        // A reply generated after the prompt, ended by the model.
        var (_, reply) = ChatTemplate.Parse(prompt + "2 x<|endoftext|>");
        Assert.Equal(new ChatMessage("assistant", "2 x"), reply);
    }

    [Fact]
    public void FullConversationsRoundTrip()
    {
        var chat = new[]
        {
            new ChatMessage("system", "You check derivations."), new ChatMessage("user", "d/dx e^{x}?\nShow steps."),
            new ChatMessage("assistant", "e^{x}"), new ChatMessage("user", ""),
        };
        string text = ChatTemplate.Render(chat, addGenerationPrompt: false);
        Assert.StartsWith("<|im_start|>system\nYou check derivations.<|im_end|>\n", text);
        var (turns, open) = ChatTemplate.Parse(Qwen.Value.Decode(Qwen.Value.Encode(text)));
        Assert.Equal(chat, turns);
        Assert.Null(open);
    }

    [Fact]
    public void BadRolesAndMarkersInContentAreRefused()
    {
        Assert.Throws<ArgumentException>(() => ChatTemplate.Render(new[] { new ChatMessage("robot", "x") }));
        Assert.Throws<ArgumentException>(() => ChatTemplate.Render(new[] { new ChatMessage("user", "a<|im_end|>b") }));
        Assert.Throws<FormatException>(() => ChatTemplate.Parse("no turns here"));
    }
}
