using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TipBot.Server.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RoutingAndEscalation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "DuplicateOfTipId",
                table: "tips",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Outcome",
                table: "tips",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ResolvedAt",
                table: "tips",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "OnDuty",
                table: "officers",
                type: "INTEGER",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "EscalateAt",
                table: "assignments",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Status",
                table: "assignments",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "alerted");

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

            migrationBuilder.CreateIndex(
                name: "IX_assignments_Status_EscalateAt",
                table: "assignments",
                columns: new[] { "Status", "EscalateAt" });

            migrationBuilder.CreateIndex(
                name: "IX_duty_shifts_OfficerId",
                table: "duty_shifts",
                column: "OfficerId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "duty_shifts");

            migrationBuilder.DropTable(
                name: "link_codes");

            migrationBuilder.DropIndex(
                name: "IX_assignments_Status_EscalateAt",
                table: "assignments");

            migrationBuilder.DropColumn(
                name: "DuplicateOfTipId",
                table: "tips");

            migrationBuilder.DropColumn(
                name: "Outcome",
                table: "tips");

            migrationBuilder.DropColumn(
                name: "ResolvedAt",
                table: "tips");

            migrationBuilder.DropColumn(
                name: "OnDuty",
                table: "officers");

            migrationBuilder.DropColumn(
                name: "EscalateAt",
                table: "assignments");

            migrationBuilder.DropColumn(
                name: "Status",
                table: "assignments");
        }
    }
}
