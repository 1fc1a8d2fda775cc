using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace TipBot.Server.Persistence.Migrations.Postgres
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
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Outcome",
                table: "tips",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ResolvedAt",
                table: "tips",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "OnDuty",
                table: "officers",
                type: "boolean",
                nullable: false,
                defaultValue: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "EscalateAt",
                table: "assignments",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Status",
                table: "assignments",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "alerted");

            migrationBuilder.CreateTable(
                name: "duty_shifts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OfficerId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Day = table.Column<int>(type: "integer", nullable: false),
                    StartMinute = table.Column<int>(type: "integer", nullable: false),
                    EndMinute = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_duty_shifts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "link_codes",
                columns: table => new
                {
                    Code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    OfficerId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UsedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
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
