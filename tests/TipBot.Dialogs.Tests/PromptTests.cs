using TipBot.Core.Messaging;
using TipBot.Dialogs.Engine;

namespace TipBot.Dialogs.Tests;

/// <summary>
/// Each prompt inside a one-prompt component, driven through the engine with TestFlow. The
/// component reports how its prompt ended as "outcome:value".
/// </summary>
public class PromptTests
{
    /// <summary>Begins one prompt; says "{outcome}:{value}" when it ends.</summary>
    private sealed class OnePrompt : ComponentDialog
    {
        private readonly ChildDialog _prompt;

        public OnePrompt(ChildDialog prompt) => _prompt = Add(prompt);

        public override string Id => "one";

        public override Task BeginAsync(DialogContext dc, DialogFrame frame) => BeginChildAsync(dc, frame, _prompt);

        protected override Task OnChildEndedAsync(DialogContext dc, DialogFrame frame, ChildResult result)
        {
            End(dc, frame);
            dc.Say($"{result.ChildId}:{result.Outcome}:{Describe(result.Value)}");
            return Task.CompletedTask;
        }

        private static string Describe(object? value) => value switch
        {
            PlaceAnswer p => p.Unit?.Code ?? "none",
            IReadOnlyList<Attachment> files => files.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            GeoPoint point => $"{point.Latitude}/{point.Longitude}",
            bool b => b ? "yes" : "no",
            _ => value?.ToString() ?? "",
        };
    }

    private static TestFlow Start(ChildDialog prompt) => new TestFlow(TestDirectory.Create(), only: new OnePrompt(prompt)).Send("bắt đầu");

    private static ChoicePrompt Fruit(int maxAttempts = 3) => new("fruit", _ => "Bạn chọn quả nào?",
        _ => [new Button("Xoài", "f:mango"), new Button("Chuối", "f:banana"), new Button("Sầu riêng", "f:durian")])
    {
        Synonyms = new Dictionary<string, string> { ["sr"] = "f:durian" },
        Retry = _ => "Xin chọn một nút.",
        MaxAttempts = maxAttempts,
    };

    private static void Ends(TestFlow flow, string expected)
    {
        flow.AssertReply(r => Assert.Equal(expected, r.Text)).AssertNoMoreReplies();
        Assert.Empty(flow.State!.Stack);
    }

    [Fact]
    public void Text_prompt_validator_refuses_then_the_retry_prompt_is_said_and_a_valid_answer_ends_it()
    {
        var flow = Start(new TextPrompt("name", _ => "Tên bạn là gì?")
        {
            Validator = (_, text) => text.Length >= 3,
            Retry = _ => "Tên dài hơn một chút nhé.",
        });
        flow.AssertReply(r => Assert.Equal("Tên bạn là gì?", r.Text)).AssertNoMoreReplies();

        flow.Send("An").AssertReply(r => Assert.Equal("Tên dài hơn một chút nhé.", r.Text)).AssertNoMoreReplies();
        flow.Send("😀").AssertReply(r => Assert.Equal("Tên dài hơn một chút nhé.", r.Text));
        Assert.Equal(2, Assert.Single(Assert.Single(flow.State!.Stack).Inner!).Attempts); // the count is stored in the prompt's frame

        Ends(flow.Send("Bình  An "), "name:Completed:Bình  An");
    }

    [Fact]
    public void A_validator_that_explains_itself_replaces_the_retry_prompt()
    {
        var flow = Start(new TextPrompt("name", _ => "Tên?")
        {
            Validator = (cc, text) =>
            {
                if (!text.Any(char.IsDigit)) return true;
                cc.Turn.Say("Tên không có chữ số.");
                return false;
            },
        });

        flow.Send("An 2").AssertReply(r => Assert.Equal("Tên không có chữ số.", r.Text)).AssertNoMoreReplies();
    }

    [Fact]
    public void Attempts_exhausted_ends_the_prompt_without_a_word_and_the_owner_decides()
    {
        var flow = Start(Fruit(maxAttempts: 2));

        flow.Send("táo").AssertReply(r => Assert.Equal("Xin chọn một nút.", r.Text));
        Ends(flow.Send("lê"), "fruit:Exhausted:");
    }

    [Theory]
    [InlineData("f:banana", true, "f:banana")]
    [InlineData("Sầu riêng", false, "f:durian")]
    [InlineData("sau rieng", false, "f:durian")]
    [InlineData("SAU RIENG", false, "f:durian")]
    [InlineData("2", false, "f:banana")]
    [InlineData("sr", false, "f:durian")]
    public void Choice_prompt_understands_the_button_its_label_without_diacritics_its_number_and_teencode(string answer, bool press, string payload)
    {
        var flow = Start(Fruit());
        flow.AssertReply(r => Assert.Equal(["f:mango", "f:banana", "f:durian"], r.ButtonsOrEmpty.Select(b => b.Payload)));

        Ends(press ? flow.Press(answer) : flow.Send(answer), "fruit:Completed:" + payload);
    }

    [Fact]
    public void Choice_prompt_refuses_a_number_outside_the_list_and_a_stale_button()
    {
        var flow = Start(Fruit());

        flow.Send("4").AssertReply(r => Assert.Equal("Xin chọn một nút.", r.Text));
        flow.Press("f:apple").AssertReply(r => Assert.Equal("Xin chọn một nút.", r.Text));
    }

    [Theory]
    [InlineData("có", "yes")]
    [InlineData("co", "yes")]
    [InlineData("ừ", "yes")]
    [InlineData("uh", "yes")]
    [InlineData("ok", "yes")]
    [InlineData("dc", "yes")]
    [InlineData("Có", "yes")]
    [InlineData("không", "no")]
    [InlineData("ko", "no")]
    [InlineData("k", "no")]
    [InlineData("KHONG", "no")]
    public void Confirm_prompt_understands_yes_and_no_as_residents_type_them(string answer, string expected)
    {
        var flow = Start(new ConfirmPrompt("sure", _ => "Chắc chưa?"));
        flow.AssertReply(r => Assert.Equal([ConfirmPrompt.YesPayload, ConfirmPrompt.NoPayload], r.ButtonsOrEmpty.Select(b => b.Payload)));

        Ends(flow.Send(answer), "sure:Completed:" + expected);
    }

    [Fact]
    public void Confirm_prompt_with_its_own_buttons_understands_their_labels_and_payloads()
    {
        ConfirmPrompt Anonymous() => new("anon", cc => cc.Turn.T("AskAnonymous"))
        {
            YesButton = cc => cc.Turn.Choice("AnonYes", Payloads.AnonymousYes),
            NoButton = cc => cc.Turn.Choice("AnonNo", Payloads.AnonymousNo),
        };

        Ends(Start(Anonymous()).Send("de lai so dien thoai"), "anon:Completed:no");
        Ends(Start(Anonymous()).Press(Payloads.AnonymousYes), "anon:Completed:yes");
        Ends(Start(Anonymous()).Send("1"), "anon:Completed:yes");
        Start(Anonymous()).Press(ConfirmPrompt.YesPayload).AssertReplyIs("AskAnonymous");
    }

    [Fact]
    public void An_optional_prompt_is_skipped_by_typing_bo_qua_or_the_skip_button()
    {
        TextPrompt Optional() => new("note", _ => "Ghi chú?") { AllowSkip = true };

        Ends(Start(Optional()).Send("bo qua"), "note:Skipped:");
        Ends(Start(Optional()).Send("Bỏ qua"), "note:Skipped:");
        Ends(Start(Optional()).Press(Payloads.Skip), "note:Skipped:");
        Ends(Start(new TextPrompt("note", _ => "Ghi chú?")).Send("bỏ qua"), "note:Completed:bỏ qua");
    }

    [Fact]
    public void Place_prompt_takes_a_name_without_diacritics_asks_an_ambiguous_one_as_buttons_and_a_location()
    {
        PlacePrompt Place() => new("place", cc => cc.Turn.T("AskPlace")) { Retry = _ => "Chưa tìm thấy.", MaxAttempts = 2 };

        Ends(Start(Place()).Send("phuong hoa cuong"), "place:Completed:" + TestDirectory.HoaCuong);
        Ends(Start(Place()).SendLocation(16.0700, 108.2150), "place:Completed:" + TestDirectory.HaiChau);
        Ends(Start(Place()).SendLocation(21.0285, 105.8542), "place:Completed:none"); // Hà Nội: no unit; a validator may refuse it

        var flow = Start(Place());
        flow.Send("Hải Châu")
            .AssertReplyIs("AskPlaceWhich", "Hải Châu")
            .AssertNoMoreReplies();
        Assert.Equal(["place:" + TestDirectory.HaiChau, "place:" + TestDirectory.HoaCuong], flow.LastReplies[0].ButtonsOrEmpty.Select(b => b.Payload));
        Assert.Equal(0, flow.State!.Stack[0].Inner![0].Attempts); // asking which is not a failed attempt
        Ends(flow.Send("2"), "place:Completed:" + TestDirectory.HoaCuong);

        var unknown = Start(Place());
        unknown.Send("Atlantis").AssertReply(r => Assert.Equal("Chưa tìm thấy.", r.Text));
        Ends(unknown.Send("Xứ sở thần tiên"), "place:Exhausted:");
    }

    [Fact]
    public void Attachment_prompt_wants_a_file_and_a_sticker_is_not_one()
    {
        var flow = Start(new AttachmentPrompt("photo", _ => "Gửi ảnh nhé.") { Retry = _ => "Cần một ảnh hoặc video." });

        flow.SendAttachment(AttachmentKind.Sticker).AssertReply(r => Assert.Equal("Cần một ảnh hoặc video.", r.Text));
        flow.Send("đây").AssertReply(r => Assert.Equal("Cần một ảnh hoặc video.", r.Text));
        Ends(flow.SendAttachment(AttachmentKind.Image), "photo:Completed:1");
    }

    [Fact]
    public void Location_prompt_wants_a_shared_location_and_its_validator_can_refuse_one_far_away()
    {
        var flow = Start(new LocationPrompt("where", _ => "Chia sẻ vị trí nhé.")
        {
            Validator = (_, point) => point.Latitude is > 15 and < 17,
            Retry = _ => "Vị trí ở Đà Nẵng nhé.",
        });

        flow.Send("ở nhà").AssertReply(r => Assert.Equal("Vị trí ở Đà Nẵng nhé.", r.Text));
        flow.SendLocation(21.0285, 105.8542).AssertReply(r => Assert.Equal("Vị trí ở Đà Nẵng nhé.", r.Text));
        Ends(flow.SendLocation(16.07, 108.215), "where:Completed:16.07/108.215");
    }

    [Fact]
    public void Cancel_interrupts_a_prompt_and_clears_the_component()
    {
        var flow = Start(Fruit()).Send("hủy");

        flow.AssertReplyIs("Cancelled").AssertNoMoreReplies();
        Assert.Empty(flow.State!.Stack);
    }
}
