using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TipBot.Server.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ChannelTokens : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "channel_tokens");
        }
    }
}
