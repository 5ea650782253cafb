namespace CnnNative.Nn;

/// <summary>Shared pieces of the layers' shape rules and their messages.</summary>
internal static class ShapeRules
{
    /// <summary>Kernel/window at least 1, stride at least 1, padding at least 0, all at most <see cref="ModelLimits.MaxWindow"/>.</summary>
    internal static void CheckWindow(Size2 window, Size2 stride, Size2 pad, string what)
    {
        if (window.Height <= 0 || window.Width <= 0 || window.Height > ModelLimits.MaxWindow || window.Width > ModelLimits.MaxWindow)
            throw new InvalidModelException($"the {what} must be between 1 and {ModelLimits.MaxWindow} on each axis, got {window}.");
        if (stride.Height <= 0 || stride.Width <= 0 || stride.Height > ModelLimits.MaxWindow || stride.Width > ModelLimits.MaxWindow)
            throw new InvalidModelException($"the stride must be between 1 and {ModelLimits.MaxWindow} on each axis, got {stride}.");
        if (pad.Height < 0 || pad.Width < 0 || pad.Height > ModelLimits.MaxWindow || pad.Width > ModelLimits.MaxWindow)
            throw new InvalidModelException($"the padding must be between 0 and {ModelLimits.MaxWindow} on each axis, got {pad}.");
    }

    /// <summary>An argument exception's message without the " (Parameter 'x')" suffix.</summary>
    internal static string Reason(ArgumentException e)
    {
        string message = e.Message;
        int cut = e.ParamName is null ? -1 : message.LastIndexOf(" (Parameter '", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    /// <summary>Runs a shape rule and prefixes its message with the layer's name.</summary>
    internal static T Named<T>(string name, Func<T> rule)
    {
        try { return rule(); }
        catch (InvalidModelException e) { throw new InvalidModelException($"Layer '{name}': {e.Message}"); }
    }
}
