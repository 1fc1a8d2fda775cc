using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TipBot.Server.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "assignments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TipId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Step = table.Column<int>(type: "INTEGER", nullable: false),
                    OfficerId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UnitCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    EscalateAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    AlertClaimedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    AlertSentAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    AcceptedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_assignments", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "channel_tokens",
                columns: table => new
                {
                    Channel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    AccessToken = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    RefreshToken = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_channel_tokens", x => x.Channel);
                });

            migrationBuilder.CreateTable(
                name: "console_accounts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PasswordHash = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    UnitCodes = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    OfficerId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    FailedAttempts = table.Column<int>(type: "INTEGER", nullable: false),
                    LockoutUntil = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LastSignInAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_console_accounts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "DataProtectionKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    FriendlyName = table.Column<string>(type: "TEXT", nullable: true),
                    Xml = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataProtectionKeys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "duty_shifts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OfficerId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Day = table.Column<int>(type: "INTEGER", nullable: false),
                    StartMinute = table.Column<int>(type: "INTEGER", nullable: false),
                    EndMinute = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_duty_shifts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "identity_views",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TipId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_identity_views", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "link_codes",
                columns: table => new
                {
                    Code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    OfficerId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UsedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_link_codes", x => x.Code);
                });

            migrationBuilder.CreateTable(
                name: "notice_deliveries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    NoticeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ChatId = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    ChatKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ClaimToken = table.Column<Guid>(type: "TEXT", nullable: true),
                    ClaimedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    SentAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    Culture = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_notice_deliveries", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "notice_images",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ContentType = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Content = table.Column<byte[]>(type: "BLOB", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_notice_images", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "notices",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    TextEn = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    ImageUrl = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    ImageId = table.Column<Guid>(type: "TEXT", nullable: true),
                    SendAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    UnitCodes = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Channels = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    PlannedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DoneAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_notices", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "officers",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    FullName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    UnitCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ChatId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Phone = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    OnDuty = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_officers", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "outbox",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ChatId = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    ChatKey = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    Text = table.Column<string>(type: "TEXT", nullable: false),
                    ButtonsJson = table.Column<string>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ClaimedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    SentAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    WaitingSince = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_outbox", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "subscribers",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ChatId = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    ChatKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UnitCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Culture = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    Active = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_subscribers", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "tip_events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TipId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Detail = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tip_events", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "tips",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    SubmissionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Code = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Category = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    CategoryConfidence = table.Column<double>(type: "REAL", nullable: false),
                    Urgent = table.Column<bool>(type: "INTEGER", nullable: false),
                    UnitCode = table.Column<string>(type: "TEXT", nullable: true),
                    PlaceText = table.Column<string>(type: "TEXT", nullable: true),
                    TimeText = table.Column<string>(type: "TEXT", nullable: true),
                    Anonymous = table.Column<bool>(type: "INTEGER", nullable: false),
                    ContactPhone = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    EvidenceCount = table.Column<int>(type: "INTEGER", nullable: false),
                    ReporterChannel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ReporterChatId = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    ReporterKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PersonalDataPurgedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Culture = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ReceivedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    AssignedUnitCode = table.Column<string>(type: "TEXT", nullable: true),
                    AcceptedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    AcceptedByOfficerId = table.Column<string>(type: "TEXT", nullable: true),
                    ResolvedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    DuplicateOfTipId = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tips", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "units",
                columns: table => new
                {
                    Code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ParentCode = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    Aliases = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_units", x => x.Code);
                });

            migrationBuilder.CreateTable(
                name: "web_chat_messages",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ChatId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Text = table.Column<string>(type: "TEXT", nullable: false),
                    ButtonsJson = table.Column<string>(type: "TEXT", nullable: true),
                    ImageUrl = table.Column<string>(type: "TEXT", nullable: true),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_web_chat_messages", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_assignments_AlertSentAt",
                table: "assignments",
                column: "AlertSentAt");

            migrationBuilder.CreateIndex(
                name: "IX_assignments_OfficerId_CreatedAt",
                table: "assignments",
                columns: new[] { "OfficerId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_assignments_Status_EscalateAt",
                table: "assignments",
                columns: new[] { "Status", "EscalateAt" });

            migrationBuilder.CreateIndex(
                name: "IX_assignments_TipId_Step",
                table: "assignments",
                columns: new[] { "TipId", "Step" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_console_accounts_UserName",
                table: "console_accounts",
                column: "UserName",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_duty_shifts_OfficerId",
                table: "duty_shifts",
                column: "OfficerId");

            migrationBuilder.CreateIndex(
                name: "IX_identity_views_TipId",
                table: "identity_views",
                column: "TipId");

            migrationBuilder.CreateIndex(
                name: "IX_notice_deliveries_ClaimToken",
                table: "notice_deliveries",
                column: "ClaimToken");

            migrationBuilder.CreateIndex(
                name: "IX_notice_deliveries_NoticeId_Channel_ChatKey",
                table: "notice_deliveries",
                columns: new[] { "NoticeId", "Channel", "ChatKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_notice_deliveries_NoticeId_Status",
                table: "notice_deliveries",
                columns: new[] { "NoticeId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_notices_Status",
                table: "notices",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_officers_Channel_ChatId",
                table: "officers",
                columns: new[] { "Channel", "ChatId" });

            migrationBuilder.CreateIndex(
                name: "IX_outbox_ChatKey",
                table: "outbox",
                column: "ChatKey");

            migrationBuilder.CreateIndex(
                name: "IX_outbox_Key",
                table: "outbox",
                column: "Key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_outbox_SentAt",
                table: "outbox",
                column: "SentAt");

            migrationBuilder.CreateIndex(
                name: "IX_subscribers_Channel_ChatKey_UnitCode",
                table: "subscribers",
                columns: new[] { "Channel", "ChatKey", "UnitCode" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_subscribers_UnitCode_Active",
                table: "subscribers",
                columns: new[] { "UnitCode", "Active" });

            migrationBuilder.CreateIndex(
                name: "IX_tip_events_Kind_At",
                table: "tip_events",
                columns: new[] { "Kind", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_tip_events_TipId",
                table: "tip_events",
                column: "TipId");

            migrationBuilder.CreateIndex(
                name: "IX_tips_Code",
                table: "tips",
                column: "Code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_tips_ReceivedAt",
                table: "tips",
                column: "ReceivedAt");

            migrationBuilder.CreateIndex(
                name: "IX_tips_ReporterKey",
                table: "tips",
                column: "ReporterKey");

            migrationBuilder.CreateIndex(
                name: "IX_tips_Status_ReceivedAt",
                table: "tips",
                columns: new[] { "Status", "ReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_tips_SubmissionId",
                table: "tips",
                column: "SubmissionId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_tips_UnitCode_ReceivedAt",
                table: "tips",
                columns: new[] { "UnitCode", "ReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_web_chat_messages_ChatId_Id",
                table: "web_chat_messages",
                columns: new[] { "ChatId", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "assignments");

            migrationBuilder.DropTable(
                name: "channel_tokens");

            migrationBuilder.DropTable(
                name: "console_accounts");

            migrationBuilder.DropTable(
                name: "DataProtectionKeys");

            migrationBuilder.DropTable(
                name: "duty_shifts");

            migrationBuilder.DropTable(
                name: "identity_views");

            migrationBuilder.DropTable(
                name: "link_codes");

            migrationBuilder.DropTable(
                name: "notice_deliveries");

            migrationBuilder.DropTable(
                name: "notice_images");

            migrationBuilder.DropTable(
                name: "notices");

            migrationBuilder.DropTable(
                name: "officers");

            migrationBuilder.DropTable(
                name: "outbox");

            migrationBuilder.DropTable(
                name: "subscribers");

            migrationBuilder.DropTable(
                name: "tip_events");

            migrationBuilder.DropTable(
                name: "tips");

            migrationBuilder.DropTable(
                name: "units");

            migrationBuilder.DropTable(
                name: "web_chat_messages");
        }
    }
}
