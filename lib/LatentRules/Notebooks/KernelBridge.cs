using System.Reflection;
using System.Runtime.CompilerServices;
using LatentRules.Tables;
using LatentRules.Torch;
using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;
using TorchSharp;
using static TorchSharp.torch;

namespace LatentRules.Notebooks;

/// <summary>
/// The one place the library talks to a .NET Interactive kernel (VS Code's Polyglot Notebooks, Jupyter's .NET
/// kernel, the lab's headless runner: all the same kernel). The library is compiled against
/// Microsoft.DotNet.Interactive but does not ship it: inside a kernel the kernel's own copy is already loaded,
/// and outside one nothing below the <see cref="Loaded"/> check runs, so the assembly is never needed.
/// </summary>
internal static class KernelBridge
{
    private const string InteractiveAssembly = "Microsoft.DotNet.Interactive";

    /// <summary>True when this process is a .NET Interactive kernel (its core assembly is loaded).</summary>
    public static bool Loaded =>
        AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == InteractiveAssembly);

    /// <summary>True while a kernel is executing a cell on this call path (outputs have somewhere to go).</summary>
    public static bool InCell => Loaded && HasContext();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool HasContext() => KernelInvocationContext.Current is not null;

    /// <summary>
    /// Shows a value as a new output of the running cell. The handle updates that same output: the kernel's own
    /// `display(x)` returns a handle whose updates carry another id and are dropped by every frontend
    /// (1.0.0-beta.26120.1), so the library goes through the invocation context, whose updates arrive.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static object Show(object? value) => KernelInvocationContext.Current!.Display(value ?? "null");

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Update(object shown, object? value) => ((DisplayedValue)shown).Update(value ?? "null");

    // Runs when the library is first used in a process. Kernel extensions are only discovered in NuGet packages
    // (interactive-extensions/dotnet); the notebooks #r the library's build output by path (no pack or restore
    // step, always the current build), so the library registers its formatters itself the first time it runs
    // inside a kernel.
#pragma warning disable CA2255 // a library module initializer is the point here
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void RegisterWhenInKernel()
    {
        if (Loaded) RegisterFormatters();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RegisterFormatters()
    {
        Formatter.Register<IHtmlRenderable>(r => r.ToHtml(), "text/html");
        Formatter.Register<IHtmlRenderable>(r => r.ToText(), "text/plain");
        Formatter.Register<Tensor>(t => Pre(Display.Text(t)), "text/html");
        Formatter.Register<Tensor>(Display.Text, "text/plain");
        Formatter.Register<torch.nn.Module>(m => Pre(m.Tree()), "text/html");
        Formatter.Register<torch.nn.Module>(m => m.Tree(), "text/plain");
        // the package's own extension is not loaded by #r
        Formatter.Register<DataFrame>(FrameView.ToHtml, "text/html");
        Formatter.Register<DataFrame>(FrameView.ToMarkdown, "text/plain");
        Formatter.SetPreferredMimeTypesFor(typeof(DataFrame), "text/html", "text/plain");
        foreach (var type in typeof(KernelBridge).Assembly.GetTypes().Where(IsShownAsHtml))
            Formatter.SetPreferredMimeTypesFor(type, "text/html", "text/plain");
    }

    private static bool IsShownAsHtml(Type t) =>
        !t.IsAbstract && (typeof(IHtmlRenderable).IsAssignableFrom(t) || typeof(Tensor).IsAssignableFrom(t) ||
                          typeof(torch.nn.Module).IsAssignableFrom(t));

    private static string Pre(string text) => $"<pre>{System.Net.WebUtility.HtmlEncode(text)}</pre>";
}
