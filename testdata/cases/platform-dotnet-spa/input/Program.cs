var app = WebApplication.CreateBuilder(args).Build();
app.UseDefaultFiles();
app.UseStaticFiles();
app.MapGet("/health", () => "ok");
app.Run();
