using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using RamDax.Provision.Configuration.Settings;
using RamDax.Provision.Output;
using RamDax.Provision.Planning;
using RamDax.Provision.Reconcile;
using RamDax.Provision.State;

namespace RamDax.Provision.Tests;

public sealed class EnumWordsTests
{
    private static readonly Assembly Agent = typeof(Plan).Assembly;

    // What the agent stores or prints as JSON, through each of its contexts.
    private static readonly (JsonSerializerContext Context, Type[] Roots)[] Files =
    [
        (ProvisionJsonContext.Default, [typeof(Plan), typeof(ExplainedSetting[]), typeof(ProvisionState), typeof(Provision.Status.StatusReport), typeof(ReconcileReport)]),
        (StateJsonContext.Default, [typeof(ProvisionState), typeof(Plan)]),
        (ReconcileJsonContext.Default, [typeof(ReconcileReport), typeof(Plan)]),
    ];

    public static TheoryData<string> PersistedEnums =>
        [.. Files.SelectMany(f => f.Roots).SelectMany(EnumsIn).Distinct().Select(t => t.FullName!)];

    [Fact]
    public void The_persisted_enums_are_found_in_the_files()
    {
        var found = Files.SelectMany(f => f.Roots).SelectMany(EnumsIn).ToHashSet();

        Assert.Superset(
            new HashSet<Type> { typeof(RunResult), typeof(StepStatus), typeof(RebootState), typeof(BootloaderKind), typeof(ItemState), typeof(ItemKind), typeof(DriverKind), typeof(NamespaceMode), typeof(FilesystemType) },
            found);
    }

    [Theory]
    [MemberData(nameof(PersistedEnums))]
    public void Every_value_of_a_persisted_enum_is_one_snake_case_word_the_same_in_json_and_text(string name)
    {
        var type = Agent.GetType(name, throwOnError: true)!;
        var word = typeof(EnumWords).GetMethod(nameof(EnumWords.Word))!.MakeGenericMethod(type);
        foreach (var value in Enum.GetValues(type))
        {
            var text = (string)word.Invoke(null, [value])!;
            Assert.Matches("^[a-z][a-z0-9]*(_[a-z0-9]+)*$", text);
            foreach (var (context, _) in Files.Where(f => f.Context.GetTypeInfo(type) is not null))
            {
                Assert.Equal($"\"{text}\"", JsonSerializer.Serialize(value, type, context));
                Assert.Equal(value, JsonSerializer.Deserialize($"\"{text}\"", type, context));
                // The PascalCase name 0.1.0 wrote reads as the same value.
                Assert.Equal(value, JsonSerializer.Deserialize($"\"{Enum.GetName(type, value)}\"", type, context));
            }
        }
    }

    [Fact]
    public void Every_enum_of_the_agent_carries_the_converter_of_its_words()
    {
        var enums = Agent.GetTypes().Where(t => t.IsEnum && t.IsPublic).ToList();

        Assert.NotEmpty(enums);
        Assert.All(enums, t => Assert.Equal(typeof(SnakeCaseEnumConverter<>).MakeGenericType(t), t.GetCustomAttribute<JsonConverterAttribute>()?.ConverterType));
    }

    [Theory]
    [InlineData(RunResult.RebootPending, "reboot_pending")]
    [InlineData(StepStatus.AlreadyInPlace, "already_in_place")]
    [InlineData(RebootState.NotNeeded, "not_needed")]
    [InlineData(BootloaderKind.KernelInstall, "kernel_install")]
    [InlineData(DriverKind.NdE820, "nd_e820")]
    [InlineData(ItemState.RecreatedAfterColdBoot, "recreated_after_cold_boot")]
    [InlineData(FilesystemType.Ext4, "ext4")]
    public void A_word_is_the_snake_case_of_the_name(object value, string expected)
    {
        var word = typeof(EnumWords).GetMethod(nameof(EnumWords.Word))!.MakeGenericMethod(value.GetType());

        Assert.Equal(expected, word.Invoke(null, [value]));
    }

    [Theory]
    [InlineData("\"reboot-pending\"")]
    [InlineData("\"rebootpending\"")]
    [InlineData("\"REBOOT_PENDING\"")]
    [InlineData("\"2\"")]
    [InlineData("2")]
    [InlineData("null")]
    public void Anything_but_a_word_or_a_name_of_0_1_0_is_not_a_value(string json)
    {
        var e = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, StateJsonContext.Default.RunResult));

        Assert.Contains("running, converged, reboot_pending, rebooting, failed", e.Message, StringComparison.Ordinal);
    }

    // The enum types a JSON root reaches through its properties, lists and nullables.
    private static IEnumerable<Type> EnumsIn(Type root)
    {
        var seen = new HashSet<Type>();
        var queue = new Queue<Type>([root]);
        while (queue.TryDequeue(out var type))
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (!seen.Add(type) || (type.Assembly != Agent && !type.IsGenericType && !type.IsArray))
            {
                continue;
            }

            if (type.IsEnum)
            {
                yield return type;
                continue;
            }

            if (type.IsArray)
            {
                queue.Enqueue(type.GetElementType()!);
                continue;
            }

            if (type.IsGenericType && type.Assembly != Agent)
            {
                foreach (var argument in type.GetGenericArguments())
                {
                    queue.Enqueue(argument);
                }

                continue;
            }

            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                queue.Enqueue(property.PropertyType);
            }
        }
    }
}
