using V2AStream.Core.Text;

namespace V2AStream.Core.Models;

/// <summary>
/// The model-part kinds the program knows, by slot and name. <see cref="Default"/> holds every non-abstract
/// <see cref="IModelPartKind"/> of this assembly, found once by reflection, so a new kind is one class and nothing else;
/// a test may build a registry of its own kinds. Immutable; thread-safe.
/// </summary>
public sealed class ModelPartRegistry
{
    private readonly Dictionary<(string Slot, string Kind), IModelPartKind> _kinds = [];

    public ModelPartRegistry(IEnumerable<IModelPartKind> kinds)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        var slots = new Dictionary<string, ModelPartSlot>(StringComparer.Ordinal);
        foreach (var kind in kinds)
        {
            if (!_kinds.TryAdd((kind.Slot.Name, kind.Name), kind))
            {
                throw new ArgumentException($"Two model-part kinds are named '{kind.Name}' in the {kind.Slot} slot.", nameof(kinds));
            }

            if (slots.TryGetValue(kind.Slot.Name, out var slot) && slot != kind.Slot)
            {
                throw new ArgumentException($"The kinds of the {kind.Slot} slot disagree on whether it is required.", nameof(kinds));
            }

            slots[kind.Slot.Name] = kind.Slot;
        }

        Slots = slots.Values.OrderBy(s => !s.Required).ThenBy(s => SlotOrder(s.Name)).ThenBy(s => s.Name, StringComparer.Ordinal).ToArray();
    }

    /// <summary>Every kind in this assembly.</summary>
    public static ModelPartRegistry Default { get; } = new(
        typeof(ModelPartRegistry).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(IModelPartKind).IsAssignableFrom(t))
            .Select(t => (IModelPartKind)Activator.CreateInstance(t, nonPublic: true)!));

    /// <summary>The slots of the known kinds: required ones first, in pipeline order.</summary>
    public IReadOnlyList<ModelPartSlot> Slots { get; }

    /// <summary>The kinds, by slot then name.</summary>
    public IEnumerable<IModelPartKind> Kinds => _kinds.Values.OrderBy(k => SlotOrder(k.Slot.Name)).ThenBy(k => k.Slot.Name, StringComparer.Ordinal).ThenBy(k => k.Name, StringComparer.Ordinal);

    /// <summary>The slot named <paramref name="name"/>, or null.</summary>
    public ModelPartSlot? FindSlot(string name) => Slots.FirstOrDefault(s => s.Name == name);

    /// <summary>The kind <paramref name="kind"/> of <paramref name="slot"/>, or null.</summary>
    public IModelPartKind? Find(ModelPartSlot slot, string kind)
    {
        ArgumentNullException.ThrowIfNull(slot);
        return _kinds.GetValueOrDefault((slot.Name, kind));
    }

    /// <summary>The kind <paramref name="kind"/> of <paramref name="slot"/>; throws <see cref="ModelSetException"/> (UnknownKind) listing the known ones.</summary>
    public IModelPartKind Get(ModelPartSlot slot, string kind, string? manifestPath = null) =>
        Find(slot, kind) ?? throw new ModelSetException(
            ModelSetErrorReason.UnknownKind,
            $"{manifestPath ?? "The manifest"}: {slot} kind '{SafeText.Escape(kind, 80)}' is unknown; use one of {string.Join(", ", NamesOf(slot))}.",
            manifestPath);

    /// <summary>The names of the kinds of <paramref name="slot"/>, sorted.</summary>
    public IReadOnlyList<string> NamesOf(ModelPartSlot slot) =>
        _kinds.Values.Where(k => k.Slot == slot).Select(k => k.Name).Order(StringComparer.Ordinal).ToArray();

    // The pipeline's order, so listings read embedder -> mapper -> generator.
    private static int SlotOrder(string name) => Array.IndexOf<string>([ModelPartSlot.Embedder.Name, ModelPartSlot.Mapper.Name, ModelPartSlot.Generator.Name], name) is var i and >= 0 ? i : int.MaxValue;
}
