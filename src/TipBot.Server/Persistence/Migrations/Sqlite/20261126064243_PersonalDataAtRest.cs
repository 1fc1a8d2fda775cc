using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TipBot.Server.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PersonalDataAtRest : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_subscribers_Channel_ChatId_UnitCode",
                table: "subscribers");

            migrationBuilder.DropIndex(
                name: "IX_notice_deliveries_NoticeId_Channel_ChatId",
                table: "notice_deliveries");

            migrationBuilder.AlterColumn<string>(
                name: "ReporterChatId",
                table: "tips",
                type: "TEXT",
                maxLength: 1024,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 128);

            migrationBuilder.AddColumn<DateTime>(
                name: "PersonalDataPurgedAt",
                table: "tips",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ReporterKey",
                table: "tips",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ChatKey",
                table: "subscribers",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ChatKey",
                table: "notice_deliveries",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

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

            migrationBuilder.CreateIndex(
                name: "IX_tips_ReporterKey",
                table: "tips",
                column: "ReporterKey");

            migrationBuilder.CreateIndex(
                name: "IX_subscribers_Channel_ChatKey_UnitCode",
                table: "subscribers",
                columns: new[] { "Channel", "ChatKey", "UnitCode" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_notice_deliveries_NoticeId_Channel_ChatKey",
                table: "notice_deliveries",
                columns: new[] { "NoticeId", "Channel", "ChatKey" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DataProtectionKeys");

            migrationBuilder.DropIndex(
                name: "IX_tips_ReporterKey",
                table: "tips");

            migrationBuilder.DropIndex(
                name: "IX_subscribers_Channel_ChatKey_UnitCode",
                table: "subscribers");

            migrationBuilder.DropIndex(
                name: "IX_notice_deliveries_NoticeId_Channel_ChatKey",
                table: "notice_deliveries");

            migrationBuilder.DropColumn(
                name: "PersonalDataPurgedAt",
                table: "tips");

            migrationBuilder.DropColumn(
                name: "ReporterKey",
                table: "tips");

            migrationBuilder.DropColumn(
                name: "ChatKey",
                table: "subscribers");

            migrationBuilder.DropColumn(
                name: "ChatKey",
                table: "notice_deliveries");

            migrationBuilder.AlterColumn<string>(
                name: "ReporterChatId",
                table: "tips",
                type: "TEXT",
                maxLength: 128,
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 1024,
                oldNullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_subscribers_Channel_ChatId_UnitCode",
                table: "subscribers",
                columns: new[] { "Channel", "ChatId", "UnitCode" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_notice_deliveries_NoticeId_Channel_ChatId",
                table: "notice_deliveries",
                columns: new[] { "NoticeId", "Channel", "ChatId" },
                unique: true);
        }
    }
}
